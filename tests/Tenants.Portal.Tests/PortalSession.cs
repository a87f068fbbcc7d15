using System.Text.Json;
using Microsoft.Playwright;
using Tenants.Testing;

namespace Tenants.Portal.Tests;

/// <summary>
/// One person's browser on the portal: a context with its own cookies, one page, the script errors it saw, and
/// shortcuts for what most tests do first (sign up a tenant, call the API as the signed-in person, keep a screenshot).
/// </summary>
public sealed class PortalSession : IAsyncDisposable
{
    /// <summary>The password every test tenant's owner signs up with.</summary>
    public const string Password = "correct horse battery staple";

    private readonly List<string> _errors = [];

    private PortalSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.PageError += (_, message) => _errors.Add($"page error: {message}");
        page.Console += (_, message) =>
        {
            // A failed request shows in the page itself (tests look there); the console check is for script errors.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _errors.Add($"console error: {message.Text}");
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Script errors and console errors the page produced so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    internal static async Task<PortalSession> StartAsync(IBrowserContext context) => new(context, await context.NewPageAsync());

    /// <summary>A tenant id no other test uses.</summary>
    public static string NewTenantId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 9, 40)];

    /// <summary>Signs up a new tenant through the sign-up form and waits for the portal to take the owner in.</summary>
    public async Task<string> SignUpAsync(string tenantId, string? email = null)
    {
        email ??= $"owner@{tenantId}.example";
        await Page.GotoAsync("/signup");
        await Page.GetByLabel("Organisation name").FillAsync($"Tenant {tenantId}");
        await Page.GetByLabel("Tenant id").FillAsync(tenantId);
        await Page.GetByLabel("Your email").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create tenant" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).WaitForAsync();
        return email;
    }

    /// <summary>Calls the REST API as the signed-in person (the browser's cookie and CSRF token).</summary>
    public async Task<JsonElement> ApiAsync(string method, string path, object? body = null)
    {
        var me = await Context.APIRequest.GetAsync("/api/v1/me");
        var csrf = JsonDocument.Parse(await me.TextAsync()).RootElement.GetProperty("csrfToken").GetString()!;
        var response = await Context.APIRequest.FetchAsync("/api/v1" + path, new APIRequestContextOptions
        {
            Method = method,
            Headers = new Dictionary<string, string> { ["X-CSRF-Token"] = csrf },
            DataObject = body,
        });
        var text = await response.TextAsync();
        if (!response.Ok)
        {
            throw new InvalidOperationException($"{method} {path} answered {response.Status}: {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Keeps a screenshot of the page in docs/screenshots/ (the README shows them).</summary>
    public async Task ScreenshotAsync(string name)
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>Fails the test if the page produced a script or console error.</summary>
    public void AssertNoErrors() => Assert.True(_errors.Count == 0, "The portal logged errors:\n" + string.Join('\n', _errors));

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
