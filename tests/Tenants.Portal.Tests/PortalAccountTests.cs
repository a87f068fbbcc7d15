using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Tenants.Testing;
using static Microsoft.Playwright.Assertions;

namespace Tenants.Portal.Tests;

/// <summary>Endpoints, members and keys, managed in the browser, checked from the outside (psql, the API).</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalAccountTests(PortalFixture platform)
{
    [Fact]
    public async Task Endpoints_WrongPortTestFailsClearly_DisableRefusesPsql_ListShowsStatus()
    {
        await using var browser = await platform.OpenAsync();
        var page = browser.Page;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await browser.SignUpAsync(PortalSession.NewTenantId("endpoints"));

        await page.GetByLabel("Host").FillAsync(platform.Upstream.Host);
        await page.GetByLabel("Port").FillAsync(FreePort.Next().ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("TLS to the database").SelectOptionAsync("disable");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("failed at TCP connection");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("nothing listens there");

        var endpoint = await platform.ConnectDatabaseAsync(browser, "orders");
        Assert.Equal(0, (await platform.PsqlAsync(endpoint, "select 1")).ExitCode);
        await page.GotoAsync("/endpoints");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasTextString = endpoint });
        await Expect(row).ToContainTextAsync("enabled");
        await browser.ScreenshotAsync("endpoints");

        await row.GetByRole(AriaRole.Link, new() { Name = endpoint }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Endpoint {endpoint}" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enable" })).ToBeVisibleAsync();
        var refused = await Eventually.MatchAsync(
            () => platform.PsqlAsync(endpoint, "select 1"),
            r => r.ExitCode != 0,
            TimeSpan.FromSeconds(30),
            r => $"exit {r.ExitCode}: {r.Output}");
        Assert.Contains("disabled", refused.Output, StringComparison.OrdinalIgnoreCase);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task Members_InviteAcceptedInAnotherBrowser_MemberListedWithRole()
    {
        await using var owner = await platform.OpenAsync();
        var tenant = PortalSession.NewTenantId("members");
        await owner.SignUpAsync(tenant);
        var page = owner.Page;
        await page.GotoAsync("/settings/members");
        var email = $"auditor@{tenant}.example";
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("auditor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create invitation" }).ClickAsync();
        var link = await page.Locator(".banner-ok .code-block code").TextContentAsync();
        Assert.Contains("/invitations/", link, StringComparison.Ordinal);

        await using var invitee = await platform.OpenAsync();
        await invitee.Page.GotoAsync(link!);
        await invitee.Page.GetByLabel("Password").FillAsync(PortalSession.Password);
        await invitee.Page.GetByRole(AriaRole.Button, new() { Name = "Accept invitation" }).ClickAsync();
        await Expect(invitee.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        // An auditor sees members and the explorer, but not the keys of others or endpoint changes.
        await Expect(invitee.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToContainTextAsync("Exports");

        await page.ReloadAsync();
        await Expect(page.GetByLabel($"Role of {email}")).ToHaveValueAsync("auditor");
        await owner.ScreenshotAsync("members");
        owner.AssertNoErrors();
        invitee.AssertNoErrors();
    }

    [Fact]
    public async Task TenantSwitcher_PersonInTwoTenants_SwitchesAndSeesOnlyTheChosenOnesData()
    {
        await using var first = await platform.OpenAsync();
        var firstTenant = PortalSession.NewTenantId("first");
        await first.SignUpAsync(firstTenant);
        await using var second = await platform.OpenAsync();
        var secondTenant = PortalSession.NewTenantId("second");
        var email = await second.SignUpAsync(secondTenant);
        var invitation = await first.ApiAsync("POST", "/members", new { email, role = "developer", memberId = "guest" });
        var token = invitation.GetProperty("invitationToken").GetString()!;

        // The person already has an account: accepting needs no password, then they sign in again.
        var page = second.Page;
        await page.GotoAsync($"/invitations/{Uri.EscapeDataString(token)}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept invitation" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"You are now a member of {firstTenant}");
        var tenants = (await second.ApiAsync("GET", "/me")).GetProperty("tenants");
        Assert.True(tenants.GetArrayLength() == 2, tenants.ToString());
        await page.GotoAsync("/");
        await page.ReloadAsync();
        var switcher = page.GetByRole(AriaRole.Combobox, new() { Name = "Tenant", Exact = true });
        await Expect(switcher).ToBeVisibleAsync();
        await switcher.SelectOptionAsync(firstTenant);
        await Expect(switcher).ToHaveValueAsync(firstTenant);
        var me = await second.ApiAsync("GET", "/me");
        Assert.Equal(firstTenant, me.GetProperty("tenant").GetProperty("tenantId").GetString());
        Assert.Equal("developer", me.GetProperty("role").GetString());
        // A developer of the first tenant sees no Members or Exports pages there.
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).Not.ToContainTextAsync("Exports");
        first.AssertNoErrors();
        second.AssertNoErrors();
    }

    [Fact]
    public async Task Keys_ApiKeySecretShownOnce_RevokedKeyGets401()
    {
        await using var browser = await platform.OpenAsync();
        var page = browser.Page;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await browser.SignUpAsync(PortalSession.NewTenantId("keys"));
        await page.GotoAsync("/settings/keys");
        await page.GetByLabel("Kind").SelectOptionAsync("apiKey");
        await page.GetByLabel("Name").FillAsync("nightly export");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var secret = (await page.Locator(".banner-warn .code-block code").TextContentAsync())!.Trim();
        Assert.StartsWith("tk_", secret, StringComparison.Ordinal);
        await browser.ScreenshotAsync("keys");

        using var http = new HttpClient { BaseAddress = platform.Host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/api/v1/events", UriKind.Relative))).StatusCode);

        await page.ReloadAsync();
        await Expect(page.Locator(".banner-warn")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasTextString = "nightly export" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(row).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/api/v1/events", UriKind.Relative))).StatusCode);
        browser.AssertNoErrors();
    }
}
