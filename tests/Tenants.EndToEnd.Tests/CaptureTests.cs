using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>What the audit trail records about statements: split queries, bound parameters, COPY, function calls.</summary>
[Collection(PlatformCollection.Name)]
public sealed class CaptureTests(PlatformFixture platform)
{
    private string Psql => Path.Combine(platform.Upstream.BinDirectory, "psql");

    private static string? Str(JsonElement e, string name) => e.GetProperty(name).GetString();

    [Fact]
    public async Task Psql_MultiStatementQueryWithAnError_IsRecordedStatementByStatement()
    {
        var id = Guid.NewGuid().ToString("N");
        var sql = $"select '{id}-a'; select g from generate_series(1,3) g; select 1/0; select '{id}-d'";

        var (exitCode, output) = await ProcessRunner.RunAsync(Psql, [platform.ProxyUri(PlatformFixture.TenantA), "-X", "-c", sql], false, TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("division by zero", output);
        var first = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => Str(e, "sql") == $"select '{id}-a';");
        var session = Str(first, "session");
        var events = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => Str(e, "sql") == $"select '{id}-d'");
        var second = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => Str(e, "session") == session && Str(e, "sql") == "select g from generate_series(1,3) g;");
        var third = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => Str(e, "session") == session && Str(e, "sql") == "select 1/0;");

        Assert.Equal("SELECT 1", Str(first, "commandTag"));
        Assert.Equal("SELECT 3", Str(second, "commandTag"));
        Assert.Equal(3, second.GetProperty("rows").GetInt64());
        Assert.Equal("22012", Str(third, "sqlState"));
        Assert.Equal(JsonValueKind.Null, events.GetProperty("commandTag").ValueKind);
        Assert.StartsWith("not executed", Str(events, "message"));
    }

    [Fact]
    public async Task Npgsql_BoundParametersOfCommonTypes_AreRecordedAsText()
    {
        var marker = $"params_{Guid.NewGuid():N}";
        var uuid = Guid.NewGuid();
        await using (var connection = new NpgsqlConnection(platform.ProxyConnectionString(PlatformFixture.TenantA)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"select $1::int, $2::text, $3::bool, $4::numeric, $5::uuid, $6::bytea, $7::bigint, $8::timestamptz, $9::text as {marker}", connection)
            {
                Parameters =
                {
                    new() { Value = 42 },
                    new() { Value = "O'Hara" },
                    new() { Value = true },
                    new() { Value = 1234.5678m },
                    new() { Value = uuid },
                    new() { Value = new byte[] { 0xde, 0xad } },
                    new() { Value = long.MinValue },
                    new() { Value = new DateTime(2026, 11, 23, 9, 25, 31, DateTimeKind.Utc), NpgsqlDbType = NpgsqlDbType.TimestampTz },
                    new() { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                },
            };
            await command.ExecuteNonQueryAsync();
        }

        var statement = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => Str(e, "sql")?.EndsWith(marker, StringComparison.Ordinal) == true);

        Assert.Equal(
            ["42", "O'Hara", "true", "1234.5678", uuid.ToString(), "\\xdead", long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), "2026-11-23 09:25:31.000000+00", null],
            statement.GetProperty("parameters").EnumerateArray().Select(p => p.ValueKind == JsonValueKind.Null ? null : p.GetString()));
    }

    [Fact]
    public async Task Npgsql_CopyInAndOut_RecordDirectionRowsBytesAndTheDataHash()
    {
        var table = $"copy_{Guid.NewGuid():N}";
        byte[] exported;
        await using (var connection = new NpgsqlConnection(platform.ProxyConnectionString(PlatformFixture.TenantB)))
        {
            await connection.OpenAsync();
            await using (var create = new NpgsqlCommand($"create table {table} (id int, name text)", connection))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using (var import = await connection.BeginBinaryImportAsync($"copy {table} (id, name) from stdin (format binary)"))
            {
                for (var i = 0; i < 3; i++)
                {
                    await import.StartRowAsync();
                    await import.WriteAsync(i, NpgsqlDbType.Integer);
                    await import.WriteAsync($"row {i}", NpgsqlDbType.Text);
                }

                Assert.Equal(3UL, await import.CompleteAsync());
            }

            await using var export = await connection.BeginRawBinaryCopyAsync($"copy {table} to stdout (format binary)");
            var buffer = new MemoryStream();
            await export.CopyToAsync(buffer);
            exported = buffer.ToArray();
        }

        var copyIn = await platform.WaitForEventAsync(PlatformFixture.TenantB, e => Str(e, "sql")?.StartsWith($"copy {table} (id, name) from stdin", StringComparison.Ordinal) == true);
        var copyOut = await platform.WaitForEventAsync(PlatformFixture.TenantB, e => Str(e, "sql") == $"copy {table} to stdout (format binary)");

        Assert.Equal("in", Str(copyIn, "copyDirection"));
        Assert.Equal(3, copyIn.GetProperty("rows").GetInt64());
        Assert.True(copyIn.GetProperty("copyBytes").GetInt64() > 0);
        Assert.Equal("out", Str(copyOut, "copyDirection"));
        Assert.Equal(exported.Length, copyOut.GetProperty("copyBytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(exported)), Str(copyOut, "copySha256"));
        // Binary COPY of the same rows is the same byte stream both ways.
        Assert.Equal(Str(copyOut, "copySha256"), Str(copyIn, "copySha256"));
    }

    [Fact]
    public async Task Psql_LargeObjectImport_IsRecordedAsFunctionCalls()
    {
        var file = Path.Combine(Path.GetTempPath(), $"lo-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, "large object through the audit proxy");
        try
        {
            var (exitCode, output) = await ProcessRunner.RunAsync(Psql, [platform.ProxyUri(PlatformFixture.TenantB) + "&application_name=lo_import", "-X", "-c", $"\\lo_import {file}"], false, TimeSpan.FromSeconds(30));

            Assert.True(exitCode == 0, output);
            var call = await platform.WaitForEventAsync(PlatformFixture.TenantB, e =>
                Str(e, "protocol") == "function-call" && Str(e, "applicationName") == "lo_import");
            Assert.StartsWith("-- function call: oid ", Str(call, "sql"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
