using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// The Host as it ships (<see cref="HostImage"/>: the Dockerfile where a Docker engine answers, its steps run here where
/// none does), started from that output in Production against a real PostgreSQL and Azurite: it serves the portal and
/// proxies psql-style traffic, and its Prometheus scrape endpoint shows that traffic, the ledger's commits and
/// checkpoints and a verification, as an operator's dashboard would.
/// </summary>
public sealed partial class PublishedHostTests : IAsyncLifetime
{
    private const string Tenant = "shipped";
    private const string Endpoint = "shipped-db";
    private const int Reads = 7;
    private readonly string _buildFolder = Path.Combine(Path.GetTempPath(), $"tenants-published-{Guid.NewGuid():N}");
    private IsolatedPlatform _platform = null!;
    private HostImage.Output _image = null!;

    public async Task InitializeAsync()
    {
        var build = HostImage.BuildAsync(_buildFolder);
        _platform = await IsolatedPlatform.StartAsync(Tenant, (settings, upstream) => settings
            .AddEndpoint(Endpoint, Tenant, upstream)
            .Set("ASPNETCORE_ENVIRONMENT", "Production"));
        _image = await build;
        await _platform.StartHostAsync(_image.HostDll);
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        if (Directory.Exists(_buildFolder))
        {
            Directory.Delete(_buildFolder, recursive: true);
        }
    }

    [Fact]
    public async Task PublishedHost_ServesThePortalAndTheProxy_AndItsScrapeEndpointShowsTheTraffic()
    {
        using var http = new HttpClient { BaseAddress = _platform.Host!.BaseAddress };
        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var script = ScriptSource().Match(page);
        Assert.True(script.Success, $"the published Host ({_image.MadeBy}) did not serve the portal's page at /:\n{page}");
        using var asset = await http.GetAsync(new Uri(script.Groups["src"].Value, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);

        // Before any traffic the ledger's gauges are there already, at rest.
        var atStart = await ScrapeAsync(http);
        Assert.True(atStart.Contains("tenants_ledger_checkpoint_age_seconds", StringComparison.Ordinal), Lines(atStart, "tenants_"));
        Assert.Equal(0, Value(atStart, "tenants_ledger_checkpoint_age_seconds"));

        await using (var connection = new NpgsqlConnection(_platform.EndpointConnectionString(Endpoint)))
        {
            await connection.OpenAsync();
            for (var i = 0; i < Reads; i++)
            {
                await IsolatedPlatform.ExecuteAsync(connection, $"select {i.ToString(CultureInfo.InvariantCulture)}");
            }

            await IsolatedPlatform.ExecuteAsync(connection, "create table shipped_notes (id int)");
            await Assert.ThrowsAsync<PostgresException>(() => IsolatedPlatform.ExecuteAsync(connection, "select * from no_such_table"));
            var whileOpen = await ScrapeAsync(http);
            Assert.True(Value(whileOpen, "tenants_edge_connections_active") >= 1, "the open connection is not among the active ones:\n" + Lines(whileOpen, "tenants_edge_connections"));
        }

        using var api = _platform.Api();
        using var verify = await api.GetAsync(new Uri("/api/v1/ledger/verify", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);

        var metrics = await Eventually.MatchAsync(
            () => ScrapeAsync(http),
            text => Value(text, "tenants_edge_statements_total", "class=\"read\"", "outcome=\"ok\"") >= Reads
                && Value(text, "tenants_edge_statements_total", "class=\"ddl\"", "outcome=\"ok\"") >= 1
                && Value(text, "tenants_edge_statements_total", "class=\"read\"", "outcome=\"error\"") >= 1
                && Value(text, "tenants_edge_connections_total", "outcome=\"accepted\"") >= 1
                && Value(text, "tenants_edge_logins_total", "outcome=\"succeeded\"") >= 1
                && Value(text, "tenants_ledger_entries_total") >= Reads + 2
                && Value(text, "tenants_ledger_commit_duration_seconds_count", "outcome=\"committed\"") >= 1
                && Value(text, "tenants_ledger_checkpoints_total") >= 1
                && Value(text, "tenants_ledger_verifications_total", "result=\"valid\"") >= 1,
            TimeSpan.FromSeconds(60),
            text => "the scrape endpoint did not show the traffic:\n" + Lines(text, "tenants_"));

        Assert.Contains("tenants_ledger_checkpoint_age_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("tenants_edge_audit_queue_depth", metrics, StringComparison.Ordinal);
        Assert.True(Value(metrics, "tenants_edge_statement_duration_seconds_count", "class=\"read\"") >= Reads, Lines(metrics, "tenants_edge_statement_duration_seconds_count"));
        Assert.Equal(0, Value(metrics, "tenants_ledger_verifications_total", "result=\"invalid\""));
        Assert.Contains("kestrel_active_connections", metrics, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples whose labels include every one of <paramref name="labels"/> (e.g. <c>class="read"</c>).</summary>
    private static double Value(string exposition, string metric, params string[] labels)
    {
        var sum = 0d;
        foreach (Match sample in Sample().Matches(exposition))
        {
            var labelText = sample.Groups["labels"].Value;
            if (sample.Groups["name"].Value == metric && labels.All(l => labelText.Contains(l, StringComparison.Ordinal)))
            {
                sum += double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    private static string Lines(string exposition, string prefix) =>
        string.Join('\n', exposition.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN|\+Inf)( \d+)?$", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex("<script[^>]* src=\"(?<src>/assets/[^\"]+\\.js)\"")]
    private static partial Regex ScriptSource();
}
