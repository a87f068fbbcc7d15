using Npgsql;

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
}
