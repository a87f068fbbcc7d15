using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Tenants.Portal.Tests;

/// <summary>Every page: controls a screen reader can name, reachable by keyboard, and usable on a phone's width.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalAccessibilityTests(PortalFixture platform)
{
    private static readonly string[] Pages =
        ["/", "/endpoints", "/endpoints/new", "/explorer", "/sessions", "/policies", "/integrity", "/exports", "/settings/members", "/settings/keys"];

    // Form controls without a label, aria-label or aria-labelledby, described by tag and id.
    private const string UnlabelledControls = """
        () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
          .filter(c => (c.labels ? c.labels.length === 0 : true) && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby')
                       && !(c.tagName === 'BUTTON' && c.textContent.trim().length > 0))
          .map(c => c.tagName.toLowerCase() + '#' + (c.id || c.name || '?'))
        """;

    [Fact]
    public async Task EveryPage_ControlsLabelled_NoHorizontalScrollOnAPhone()
    {
        await using var browser = await platform.OpenAsync();
        await browser.SignUpAsync(PortalSession.NewTenantId("a11y"));
        var endpoint = await platform.ConnectDatabaseAsync(browser);
        Assert.Equal(0, (await platform.PsqlAsync(endpoint, "select 1")).ExitCode);
        var page = browser.Page;

        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, 844);
            foreach (var path in Pages)
            {
                await page.GotoAsync(path);
                await Expect(page.Locator("main h1")).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasTextString = "Loading" })).ToHaveCountAsync(0);
                var unlabelled = await page.EvaluateAsync<string[]>(UnlabelledControls);
                Assert.True(unlabelled.Length == 0, $"{path}: controls without a label: {string.Join(", ", unlabelled)}");
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                Assert.True(overflow <= 1, $"{path} at {width} px scrolls sideways by {overflow} px");
            }
        }

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task Keyboard_SkipLinkThenNavigation_ReachesAPageWithoutAMouse()
    {
        await using var browser = await platform.OpenAsync();
        await browser.SignUpAsync(PortalSession.NewTenantId("keyboard"));
        var page = browser.Page;
        await page.GotoAsync("/");
        await Expect(page.Locator("main h1")).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(":focus")).ToHaveTextAsync("Skip to content");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#main$"));

        var explorer = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Explorer" });
        await explorer.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Explorer", Level = 1 })).ToBeVisibleAsync();
        await Expect(explorer).ToHaveAttributeAsync("aria-current", "page");
        browser.AssertNoErrors();
    }
}
