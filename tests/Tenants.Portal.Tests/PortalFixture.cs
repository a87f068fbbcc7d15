using System.Diagnostics;
using Microsoft.Playwright;
using Tenants.Testing;

namespace Tenants.Portal.Tests;

/// <summary>
/// The platform as a tenant meets it in a browser: a platform PostgreSQL, an upstream PostgreSQL holding the tenants'
/// databases (database <c>app</c>), Azurite, the Host serving the built portal from <c>ui/dist</c>, and Debian's
/// Chromium, headless, driven by Playwright. Tests sign up tenants of their own, so they never see each other's data.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    /// <summary>Where the Host finds the portal; <c>./dev test</c> builds it before the tests run.</summary>
    public static string PortalRoot => Path.Combine(TestPaths.RepoRoot, "ui", "dist");

    private readonly string _keyFolder = Path.Combine(Path.GetTempPath(), $"tenants-portal-{Guid.NewGuid():N}");
    private PostgresServer? _platform;
    private PostgresServer? _upstream;
    private AzuriteServer? _azurite;
    private HostProcess? _host;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public PostgresServer Upstream => _upstream ?? throw new InvalidOperationException("not started");

    public HostProcess Host => _host ?? throw new InvalidOperationException("not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    /// <summary>The shared PostgreSQL listener of the edge.</summary>
    public int ProxyPort { get; private set; }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(PortalRoot, "index.html")))
        {
            throw new InvalidOperationException(
                $"The portal is not built: no {PortalRoot}/index.html. Run 'npm --prefix ui ci && npm --prefix ui run build' (./dev test does).");
        }

        var platformTask = PostgresServer.StartAsync();
        var upstreamTask = PostgresServer.StartAsync();
        var azuriteTask = AzuriteServer.StartAsync();
        var browserTask = LaunchBrowserAsync();
        _platform = await platformTask;
        _upstream = await upstreamTask;
        _azurite = await azuriteTask;
        var platformDb = await _platform.CreateDatabaseAsync("tenants");
        await _upstream.CreateDatabaseAsync("app");

        var settings = new HostSettings(platformDb, _azurite.ConnectionString, Path.Combine(_keyFolder, "signing.pem"))
            .Set("Portal__Root", PortalRoot)
            .Set("Ledger__OriginPrefix", "portal.tenants.test/ledger")
            // Every test signs up and in from 127.0.0.1.
            .Set("Api__SignIn__RateLimitPermits", "100000")
            // A policy change reaches the edge quickly enough for a test to watch it.
            .Set("Edge__Policy__RefreshInterval", "00:00:00.500");
        ProxyPort = settings.ProxyPort;
        _host = await HostProcess.StartAsync(settings.Values, TimeSpan.FromMinutes(2));
        _browser = await browserTask;
    }

    private async Task<IBrowser> LaunchBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        return await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            // The machine's network is closed: Chromium's own background traffic would only fail, loudly.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    private static string ChromiumPath()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("TENANTS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Chromium not found: install Debian's 'chromium' package (./dev test does), or set TENANTS_CHROMIUM.");
    }

    /// <summary>A fresh browser context (its own cookies) on the portal, watching for script errors.</summary>
    public async Task<PortalSession> OpenAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(15_000);
        return await PortalSession.StartAsync(context);
    }

    /// <summary>A connection URI through the proxy to an endpoint, for psql.</summary>
    public string ProxyUri(string endpointId) =>
        $"postgresql://{Upstream.Username}:{Uri.EscapeDataString(Upstream.Password)}@127.0.0.1:{ProxyPort}/app?options=endpoint%3D{endpointId}";

    /// <summary>Connects the signed-in tenant's database (the upstream's <c>app</c>) through the API; returns the endpoint id.</summary>
    public async Task<string> ConnectDatabaseAsync(PortalSession browser, string name = "db")
    {
        var endpoint = await browser.ApiAsync("POST", "/endpoints", new
        {
            name,
            upstreamHost = Upstream.Host,
            upstreamPort = Upstream.Port,
            defaultDatabase = "app",
            tlsMode = "disable",
        });
        return endpoint.GetProperty("id").GetString()!;
    }

    /// <summary>Runs SQL with psql through the proxy to an endpoint (as the upstream's superuser, plaintext).</summary>
    public Task<ProcessResult> PsqlAsync(string endpointId, string sql)
    {
        var conninfo = $"host=127.0.0.1 port={ProxyPort} user={Upstream.Username} dbname=app sslmode=disable options=endpoint={endpointId} application_name=portal-tests";
        var psql = new ProcessStartInfo(Path.Combine(Upstream.BinDirectory, "psql"))
        {
            ArgumentList = { conninfo, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql },
            Environment = { ["PGPASSWORD"] = Upstream.Password },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        return ProcessRunner.RunAsync(psql, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (Directory.Exists(_keyFolder))
        {
            Directory.Delete(_keyFolder, recursive: true);
        }

        foreach (var disposable in new IAsyncDisposable?[] { _azurite, _upstream, _platform })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
