using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// The Host configured for OTLP the standard way (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and friends), as an operator points
/// it at a collector: its traces (ledger commits, upstream connects), metrics (the platform's instruments) and logs
/// arrive at the collector.
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private const string Tenant = "otlp";
    private const string Endpoint = "otlp-db";
    private OtlpReceiver _collector = null!;
    private IsolatedPlatform _platform = null!;

    public async Task InitializeAsync()
    {
        _collector = await OtlpReceiver.StartAsync();
        _platform = await IsolatedPlatform.StartAsync(Tenant, (settings, upstream) => settings
            .AddEndpoint(Endpoint, Tenant, upstream)
            .Set("OTEL_EXPORTER_OTLP_ENDPOINT", _collector.Endpoint)
            .Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .Set("OTEL_SERVICE_NAME", "tenants-otlp-test")
            // Export within a second instead of the defaults (metrics every minute, spans every five seconds).
            .Set("OTEL_METRIC_EXPORT_INTERVAL", "1000")
            .Set("OTEL_BSP_SCHEDULE_DELAY", "500")
            .Set("OTEL_BLRP_SCHEDULE_DELAY", "500")
            .Set("Logging__LogLevel__Default", "Information"));
        await _platform.StartHostAsync();
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        await _collector.DisposeAsync();
    }

    [Fact]
    public async Task HostWithOtlpEndpoint_ExportsTracesMetricsAndLogs_OfProxiedStatements()
    {
        await using (var connection = new NpgsqlConnection(_platform.EndpointConnectionString(Endpoint)))
        {
            await connection.OpenAsync();
            await IsolatedPlatform.ExecuteAsync(connection, "create table otlp_probe (id int)");
            await IsolatedPlatform.ExecuteAsync(connection, "select count(*) from otlp_probe");
        }

        (string Signal, string Text)[] expected =
        [
            ("traces", "ledger commit"), ("traces", "upstream connect"), ("traces", "tenants-otlp-test"),
            ("metrics", "tenants.edge.statements"), ("metrics", "tenants.ledger.commit.duration"),
            ("logs", "Database schema is current"),
        ];
        await Eventually.MatchAsync(
            () => Task.FromResult(expected.Where(e => !_collector.Received(e.Signal, e.Text)).ToList()),
            missing => missing.Count == 0,
            TimeSpan.FromSeconds(60),
            missing => $"the collector did not receive {string.Join(", ", missing.Select(m => $"'{m.Text}' in {m.Signal}"))} ({_collector.Describe()})");
    }
}
