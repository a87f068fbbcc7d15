using Npgsql;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Testing;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task Dispose_RunningServer_StopsItAndFreesThePort()
    {
        var server = await PostgresServer.StartAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false, Timeout = 3 }.ConnectionString;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
        }

        await server.DisposeAsync();

        await using var afterwards = new NpgsqlConnection(connectionString);
        await Assert.ThrowsAnyAsync<Exception>(() => afterwards.OpenAsync());
    }
}
