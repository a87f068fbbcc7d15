using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tenants.Testing;
using static Microsoft.Playwright.Assertions;

namespace Tenants.Portal.Tests;

/// <summary>
/// Issue 8's acceptance, as a tenant walks it in the browser: sign up, connect a database, run statements through the
/// proxy with psql, find them in the explorer, block one by policy and see it blocked, verify an event in the browser,
/// export and download. Screenshots of each main page are kept in docs/screenshots/.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed partial class PortalJourneyTests(PortalFixture platform)
{
    private static readonly TimeSpan IndexWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Journey_SignUpConnectRunFindBlockProveExport_AllThroughThePortal()
    {
        await using var browser = await platform.OpenAsync();
        var page = browser.Page;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var tenant = PortalSession.NewTenantId("journey");
        await browser.SignUpAsync(tenant);

        // Connect a database with the guided form and its live test.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connect a database" })).ToBeVisibleAsync();
        await page.GetByLabel("Host").FillAsync(platform.Upstream.Host);
        await page.GetByLabel("Port").FillAsync(platform.Upstream.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Default database (optional)").FillAsync("app");
        await page.GetByLabel("TLS to the database").SelectOptionAsync("disable");
        await page.GetByLabel("Test as user (not stored)").FillAsync(platform.Upstream.Username);
        await page.GetByLabel("Test password (not stored)").FillAsync(platform.Upstream.Password);
        await page.GetByLabel("Endpoint name (optional)").FillAsync("shop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Connection test passed.");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Query");
        await browser.ScreenshotAsync("endpoint-new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create endpoint" }).ClickAsync();
        var title = await page.GetByRole(AriaRole.Heading, new() { NameRegex = EndpointReady() }).TextContentAsync();
        var endpointId = EndpointReady().Match(title!).Groups[1].Value;
        await Expect(page.Locator(".code-block").First).ToContainTextAsync($"options=endpoint={endpointId}");

        // Statements through the proxy with psql.
        var marker = "journey_" + Guid.NewGuid().ToString("N")[..8];
        await RunAsync(endpointId, $"create table {marker} (id int primary key, note text)");
        await RunAsync(endpointId, $"insert into {marker} values (1, 'first'), (2, 'second')");
        Assert.Contains("2", (await RunAsync(endpointId, $"select count(*) from {marker}")).Output, StringComparison.Ordinal);

        // Find them in the explorer.
        await page.GotoAsync($"/explorer?q={marker}");
        await ReloadUntilAsync(page, page.Locator(".event-row", new() { HasTextString = $"select count(*) from {marker}" }));
        await Expect(page.Locator(".event-row", new() { HasTextString = $"insert into {marker}" }).Last).ToBeVisibleAsync();
        await browser.ScreenshotAsync("explorer");
        var light = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        Assert.NotEqual(light, await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        await browser.ScreenshotAsync("explorer-dark");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.Locator(".event-row", new() { HasTextString = $"select count(*) from {marker}" }).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("pre.sql").First).ToContainTextAsync($"SELECT count(*)\nFROM {marker}");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("SELECT 1");
        await browser.ScreenshotAsync("event");
        await page.GetByRole(AriaRole.Link, new() { Name = "Session timeline" }).ClickAsync();
        await Expect(page.Locator(".timeline li", new() { HasTextString = $"select count(*) from {marker}" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("session");
        await page.GoBackAsync();
        var index = ParseIndex(await page.GetByText(LedgerEntry()).TextContentAsync());

        // Block a statement by policy: the editor names a mistake, then the fixed document dry-runs and is published.
        await page.GotoAsync("/policies");
        var editor = page.GetByLabel("Policy document (JSON)");
        await editor.FillAsync("{ \"version\": \"1\", \"rules\": [ { \"id\": \"no-drop\", \"effect\": \"deny\", \"commands\": [\"DROP TABLE\"], \"kinds\": [\"writes\"] } ] }");
        await Expect(page.Locator("#policy-problems")).ToContainTextAsync("writes");
        await editor.FillAsync(NoDropPolicy);
        await Expect(page.Locator("#policy-problems")).ToContainTextAsync("valid");
        await Expect(page.Locator(".dry-run")).ToContainTextAsync("Over");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasTextString = "published" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("policies");

        // The edge picks the version up within its refresh interval: probe with a drop that harms nothing if it runs.
        await Eventually.MatchAsync(
            () => platform.PsqlAsync(endpointId, "drop table if exists no_such_table_probe"),
            r => r.ExitCode != 0 && r.Output.Contains("no-drop", StringComparison.Ordinal),
            IndexWait,
            r => $"exit {r.ExitCode}: {r.Output}");
        var refused = await platform.PsqlAsync(endpointId, $"drop table {marker}");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("tables are not dropped here", refused.Output, StringComparison.Ordinal);
        Assert.Contains("1", (await RunAsync(endpointId, $"select count(*) from {marker} where id = 1")).Output, StringComparison.Ordinal);

        await page.GotoAsync("/");
        await ReloadUntilAsync(page, page.Locator(".samples li", new() { HasTextString = $"drop table {marker}" }));
        await Expect(page.Locator(".samples li", new() { HasTextString = $"drop table {marker}" })).ToContainTextAsync("blocked");
        await browser.ScreenshotAsync("dashboard");

        // Prove the select's entry in the browser: every step passes once a checkpoint covers it.
        await page.GotoAsync($"/integrity?index={index}");
        await ReloadUntilAsync(page, page.GetByText("Verified: this entry is in the ledger"));
        foreach (var step in new[] { "leaf", "entry", "path", "root", "signature" })
        {
            await Expect(page.Locator($"[data-step='{step}']")).ToHaveAttributeAsync("data-ok", "true");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the whole ledger" }).ClickAsync();
        await Expect(page.Locator(".verify-status")).ToContainTextAsync("VALID", new() { Timeout = 60_000 });
        await browser.ScreenshotAsync("integrity");

        // Export the trail and download the bundle: the file is what the job says it is.
        await page.GotoAsync("/exports");
        await page.GetByLabel("Search (optional)").FillAsync(marker);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create bundle" }).ClickAsync();
        var link = page.GetByRole(AriaRole.Link, new() { Name = "Download bundle" }).First;
        await Expect(link).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await browser.ScreenshotAsync("exports");
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var file = await download.PathAsync();
        var jobs = await browser.ApiAsync("GET", "/exports");
        var expected = jobs.GetProperty("items")[0].GetProperty("export").GetProperty("sha256").GetString();
        Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))));
        browser.AssertNoErrors();
    }

    private const string NoDropPolicy = """
        {
          "version": "1",
          "rules": [
            { "id": "no-drop", "effect": "deny", "commands": ["DROP TABLE"], "message": "tables are not dropped here" }
          ]
        }
        """;

    private async Task<ProcessResult> RunAsync(string endpointId, string sql)
    {
        var result = await platform.PsqlAsync(endpointId, sql);
        Assert.True(result.ExitCode == 0, $"psql failed for '{sql}': {result.Output}");
        return result;
    }

    /// <summary>The index follows the ledger a second or so behind: reload the page until what is awaited shows.</summary>
    internal static async Task ReloadUntilAsync(IPage page, ILocator locator)
    {
        await Eventually.MatchAsync(
            async () =>
            {
                if (await locator.CountAsync() > 0)
                {
                    return true;
                }

                await page.ReloadAsync();
                try
                {
                    await locator.First.WaitForAsync(new() { Timeout = 2_000 });
                    return true;
                }
                catch (TimeoutException)
                {
                    return false;
                }
            },
            found => found,
            IndexWait,
            _ => $"'{locator}' on {page.Url}; the page said: {Shorten(page.Locator("main").InnerTextAsync().GetAwaiter().GetResult())}");
    }

    private static string Shorten(string text) => text.Length > 1500 ? text[..1500] + "…" : text;

    private static long ParseIndex(string? text) =>
        long.Parse(LedgerEntry().Match(text ?? string.Empty).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("^Endpoint (.+) is ready$")]
    private static partial Regex EndpointReady();

    [GeneratedRegex("ledger entry #(\\d+)")]
    private static partial Regex LedgerEntry();
}
