using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Tenants.Portal.Tests;

/// <summary>The explorer's shared searches and the browser-side proof, as a user and an attacker would try them.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalEvidenceTests(PortalFixture platform)
{
    [Fact]
    public async Task Explorer_SharedUrl_ReproducesTheSearchForTheTenant_AndShowsNothingToAnother()
    {
        await using var owner = await platform.OpenAsync();
        await owner.SignUpAsync(PortalSession.NewTenantId("share"));
        var endpoint = await platform.ConnectDatabaseAsync(owner);
        var marker = "shared_" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, (await platform.PsqlAsync(endpoint, $"select '{marker}' as note")).ExitCode);

        await owner.Page.GotoAsync("/explorer");
        await owner.Page.GetByLabel("Search the SQL").FillAsync(marker);
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var row = owner.Page.Locator(".event-row", new() { HasTextString = marker });
        await PortalJourneyTests.ReloadUntilAsync(owner.Page, row);
        var shared = owner.Page.Url;
        Assert.Contains($"q={marker}", shared, StringComparison.Ordinal);

        // The same person in a new window: the link alone brings the search back.
        await using var again = await platform.OpenAsync();
        await again.Page.GotoAsync("/signin");
        var me = await owner.ApiAsync("GET", "/me");
        await again.Page.GetByLabel("Email").FillAsync(me.GetProperty("email").GetString()!);
        await again.Page.GetByLabel("Password").FillAsync(PortalSession.Password);
        await again.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await again.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).WaitForAsync();
        await again.Page.GotoAsync(shared);
        await Expect(again.Page.GetByLabel("Search the SQL")).ToHaveValueAsync(marker);
        await Expect(again.Page.Locator(".event-row", new() { HasTextString = marker })).ToBeVisibleAsync();

        // Another tenant opening the same link finds nothing of the first.
        await using var stranger = await platform.OpenAsync();
        await stranger.SignUpAsync(PortalSession.NewTenantId("stranger"));
        await stranger.Page.GotoAsync(shared[shared.IndexOf("/explorer", StringComparison.Ordinal)..]);
        await Expect(stranger.Page.GetByText("Nothing matches")).ToBeVisibleAsync();
        await Expect(stranger.Page.Locator(".event-row", new() { HasTextString = marker })).ToHaveCountAsync(0);
        owner.AssertNoErrors();
        again.AssertNoErrors();
        stranger.AssertNoErrors();
    }

    [Fact]
    public async Task ProveIt_ProofAlteredInFlight_ShowsTheFailingStepAndNeverVerified()
    {
        await using var browser = await platform.OpenAsync();
        var tenant = PortalSession.NewTenantId("tamper");
        await browser.SignUpAsync(tenant);
        var endpoint = await platform.ConnectDatabaseAsync(browser);
        Assert.Equal(0, (await platform.PsqlAsync(endpoint, "select 42")).ExitCode);
        var page = browser.Page;

        // First the honest answer verifies.
        await page.GotoAsync("/integrity?index=1");
        await PortalJourneyTests.ReloadUntilAsync(page, page.GetByText("Verified: this entry is in the ledger"));

        // Then a man in the middle changes one character of the entry: the root no longer matches the signed one.
        await page.RouteAsync("**/api/v1/ledger/proofs/inclusion*", async route =>
        {
            var response = await route.FetchAsync();
            var proof = JsonNode.Parse(await response.TextAsync())!.AsObject();
            var entry = Encoding.UTF8.GetString(Convert.FromBase64String(proof["entry"]!.GetValue<string>()));
            var altered = entry.Replace("\"time\":\"2", "\"time\":\"1", StringComparison.Ordinal);
            Assert.NotEqual(entry, altered);
            proof["entry"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(altered));
            await route.FulfillAsync(new() { Response = response, Body = proof.ToJsonString() });
        });
        await page.ReloadAsync();
        await Expect(page.GetByText("NOT verified")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-step='root']")).ToHaveAttributeAsync("data-ok", "false");
        await Expect(page.Locator("[data-step='signature']")).ToHaveAttributeAsync("data-ok", "true");
        await Expect(page.GetByText("Verified: this entry is in the ledger")).ToHaveCountAsync(0);

        // And a forged checkpoint (its root swapped) fails at the signature.
        await page.UnrouteAllAsync();
        await page.RouteAsync("**/api/v1/ledger/proofs/inclusion*", async route =>
        {
            var response = await route.FetchAsync();
            var proof = JsonNode.Parse(await response.TextAsync())!.AsObject();
            var lines = proof["checkpoint"]!.GetValue<string>().Split('\n');
            var root = Convert.FromBase64String(lines[2]);
            root[0] ^= 0xff;
            lines[2] = Convert.ToBase64String(root);
            proof["checkpoint"] = string.Join('\n', lines);
            await route.FulfillAsync(new() { Response = response, Body = proof.ToJsonString() });
        });
        await page.ReloadAsync();
        await Expect(page.GetByText("NOT verified")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-step='signature']")).ToHaveAttributeAsync("data-ok", "false");
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task Policies_TwoVersions_HistoryShowsThemAndTheirDiff()
    {
        await using var browser = await platform.OpenAsync();
        await browser.SignUpAsync(PortalSession.NewTenantId("history"));
        await browser.ApiAsync("POST", "/policies", JsonDocument.Parse("""{"version":"1","rules":[{"id":"a","effect":"deny","commands":["DROP TABLE"]}]}""").RootElement);
        await browser.ApiAsync("POST", "/policies", JsonDocument.Parse("""{"version":"2","rules":[{"id":"b","effect":"deny","commands":["TRUNCATE TABLE"]}]}""").RootElement);
        var page = browser.Page;

        await page.GotoAsync("/policies");
        await Expect(page.GetByLabel("Policy document (JSON)")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("TRUNCATE TABLE"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "v2", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "v1", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Changes from v1" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("from=1&to=2"));
        var diff = page.Locator(".diff");
        await Expect(diff.Locator(".diff-removed", new() { HasTextString = "DROP TABLE" })).ToBeVisibleAsync();
        await Expect(diff.Locator(".diff-added", new() { HasTextString = "TRUNCATE TABLE" })).ToBeVisibleAsync();
        browser.AssertNoErrors();
    }
}
