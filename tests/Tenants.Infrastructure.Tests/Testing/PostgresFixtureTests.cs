using Npgsql;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Testing;

public sealed class PostgresFixtureTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Server_Query_ReturnsServerVersion()
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version_num')::int, current_user, current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.True(reader.GetInt32(0) >= 150000, $"server_version_num {reader.GetInt32(0)}");
        Assert.Equal("postgres", reader.GetString(1));
        Assert.Equal("postgres", reader.GetString(2));
    }

    [Fact]
    public async Task Server_SuperuserOverTcp_UsesPasswordAndIsSuperuser()
    {
        Assert.Equal("postgres", postgres.Server.Username);
        Assert.False(string.IsNullOrEmpty(postgres.Server.Password));

        var wrongPassword = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Password = "wrong", Pooling = false }.ConnectionString;
        await using (var rejected = new NpgsqlConnection(wrongPassword))
        {
            await Assert.ThrowsAsync<PostgresException>(() => rejected.OpenAsync());
        }

        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", connection);
        Assert.Equal(true, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task CreateDatabase_NewName_ReturnsConnectionStringToThatDatabase()
    {
        var connectionString = await postgres.CreateDatabaseAsync("fixture_create_db");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_database()", connection);
        Assert.Equal("fixture_create_db", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task CreateDatabase_HostileName_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => postgres.CreateDatabaseAsync("x\"; DROP DATABASE postgres; --"));
    }

    [Fact]
    public void BinDirectory_Local_HoldsClientPrograms()
    {
        if (postgres.Server.IsContainer && postgres.BinDirectory.Length == 0)
        {
            return;
        }

        Assert.True(File.Exists(Path.Combine(postgres.BinDirectory, "psql")), postgres.BinDirectory);
        Assert.True(File.Exists(Path.Combine(postgres.BinDirectory, "pgbench")), postgres.BinDirectory);
        Assert.True(File.Exists(Path.Combine(postgres.BinDirectory, "pg_ctl")), postgres.BinDirectory);
    }
}
