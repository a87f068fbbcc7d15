using System.Diagnostics;
using Npgsql;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Hosting;

/// <summary>Small SQL helpers the proxy tests share, for connections through the proxy and straight to PostgreSQL.</summary>
internal static class Sql
{
    /// <summary>
    /// The first column of the first row; opens and disposes <paramref name="connection"/> when it was closed (a
    /// one-off connection), else runs on it as it is (a session the test keeps).
    /// </summary>
    public static async Task<object?> Scalar(NpgsqlConnection connection, string sql, int? parameter = null)
    {
        var owned = connection.State == System.Data.ConnectionState.Closed;
        if (owned)
        {
            await connection.OpenAsync();
        }

        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if (parameter is { } value)
            {
                command.Parameters.AddWithValue(value);
            }

            return await command.ExecuteScalarAsync();
        }
        finally
        {
            if (owned)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Runs <paramref name="sql"/> on a connection of its own.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Runs psql (from <paramref name="binDirectory"/>) through <paramref name="edge"/>'s endpoint <c>pg</c> as the user
    /// and database of <paramref name="direct"/>, unaligned and tuples only, with <paramref name="arguments"/> after.
    /// </summary>
    public static Task<ProcessResult> PsqlAsync(
        string binDirectory, EdgeTestHost edge, string direct, TimeSpan timeout, string? applicationName, params string[] arguments)
    {
        var server = new NpgsqlConnectionStringBuilder(direct);
        var conninfo = $"host={edge.Host} port={edge.Port} user={server.Username} dbname={server.Database} sslmode=disable options=endpoint=pg"
            + (applicationName is null ? string.Empty : $" application_name={applicationName}");
        var psql = new ProcessStartInfo(Path.Combine(binDirectory, "psql"))
        {
            ArgumentList = { conninfo, "-X", "-A", "-t" },
            Environment = { ["PGPASSWORD"] = server.Password ?? string.Empty },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            psql.ArgumentList.Add(argument);
        }

        return ProcessRunner.RunAsync(psql, timeout);
    }
}
