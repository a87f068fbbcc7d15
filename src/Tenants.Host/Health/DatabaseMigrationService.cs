using Npgsql;
using Tenants.Infrastructure.Postgres;

namespace Tenants.Host.Health;

/// <summary>
/// Applies the platform's PostgreSQL migrations (Orleans tables and queries first of all) before the silo starts:
/// it is registered ahead of Orleans, and hosted services start in order.
/// </summary>
internal sealed partial class DatabaseMigrationService(NpgsqlDataSource dataSource, ILogger<DatabaseMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await new PostgresMigrator().ApplyAsync(dataSource, cancellationToken);
        LogMigrated(applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5000, EventName = "DatabaseMigrated", Level = LogLevel.Information,
        Message = "Database schema is current ({Applied} migrations applied now)")]
    private partial void LogMigrated(int applied);
}
