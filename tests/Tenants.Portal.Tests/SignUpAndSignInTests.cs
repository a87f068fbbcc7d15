using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Tenants.Portal.Tests;

[Collection(PortalCollection.Name)]
public sealed class SignUpAndSignInTests(PortalFixture platform)
{
    [Fact]
    public async Task SignUp_NewTenant_OwnerLandsInThePortalAndCanSignOutAndBackIn()
    {
        await using var browser = await platform.OpenAsync();
        var page = browser.Page;
        var tenant = PortalSession.NewTenantId("signup");
        var email = await browser.SignUpAsync(tenant);

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/endpoints/new$"));
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToContainTextAsync("Explorer");
        await Expect(page.Locator(".tenant-name")).ToHaveTextAsync($"Tenant {tenant}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin$"));
        await browser.ScreenshotAsync("sign-in");

        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(PortalSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task SignIn_WrongPassword_SaysSoAndStaysSignedOut()
    {
        await using var browser = await platform.OpenAsync();
        var page = browser.Page;
        var email = await browser.SignUpAsync(PortalSession.NewTenantId("wrongpw"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("not the password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("password");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin$"));
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task DeepLink_SignedOut_SignsInThenOpensThePageAsked()
    {
        await using var browser = await platform.OpenAsync();
        var page = browser.Page;
        var email = await browser.SignUpAsync(PortalSession.NewTenantId("deeplink"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await page.GotoAsync("/explorer?q=select");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?return="));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(PortalSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/explorer\\?q=select$"));
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task SignUp_TakenTenantId_ShowsTheConflictAndKeepsTheForm()
    {
        await using var browser = await platform.OpenAsync();
        var tenant = PortalSession.NewTenantId("taken");
        await browser.SignUpAsync(tenant);
        await using var other = await platform.OpenAsync();
        var page = other.Page;

        await page.GotoAsync("/signup");
        await page.GetByLabel("Organisation name").FillAsync("Someone else");
        await page.GetByLabel("Tenant id").FillAsync(tenant);
        await page.GetByLabel("Your email").FillAsync($"other@{tenant}.example");
        await page.GetByLabel("Password").FillAsync(PortalSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create tenant" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Tenant id")).ToHaveValueAsync(tenant);
        other.AssertNoErrors();
    }

    [Fact]
    public async Task Portal_DeepLinkAndAssets_ServedWithCachingAndSecurityHeaders()
    {
        await using var browser = await platform.OpenAsync();
        var page = await browser.Context.APIRequest.GetAsync("/explorer?q=x");
        Assert.Equal(200, page.Status);
        Assert.Contains("<div id=\"root\">", await page.TextAsync(), StringComparison.Ordinal);
        Assert.Equal("no-cache", page.Headers["cache-control"]);
        Assert.Contains("frame-ancestors 'none'", page.Headers["content-security-policy"], StringComparison.Ordinal);

        var missingAsset = await browser.Context.APIRequest.GetAsync("/assets/no-such-file.js");
        Assert.Equal(404, missingAsset.Status);

        var unknownApi = await browser.Context.APIRequest.GetAsync("/api/v1/no-such-thing");
        Assert.Equal(404, unknownApi.Status);
        Assert.DoesNotContain("<div id=\"root\">", await unknownApi.TextAsync(), StringComparison.Ordinal);
    }
}
