using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// One statement through every layer: a real client, the proxy, the ledger grain, sealed and signed blobs in Azurite,
/// and the REST API that lists and verifies them.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class StatementPathTests(PlatformFixture platform)
{
    private string Psql => Path.Combine(platform.Upstream.BinDirectory, "psql");

    [Fact]
    public async Task Psql_SelectThroughProxy_IsRecordedWithItsSessionAndVerifies()
    {
        var marker = $"select 1 as psql_{Guid.NewGuid():N};";

        var (exitCode, output) = await ProcessRunner.RunAsync(Psql, [platform.ProxyUri(PlatformFixture.TenantA), "-X", "-A", "-t", "-c", marker], false, TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, output);
        Assert.Equal("1", output.Trim());
        var statement = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("sql").GetString() == marker);
        Assert.Equal("statement", statement.GetProperty("kind").GetString());
        Assert.Equal(PlatformFixture.TenantA, statement.GetProperty("tenant").GetString());
        Assert.Equal("acme-db", statement.GetProperty("endpoint").GetString());
        Assert.Equal("postgres", statement.GetProperty("user").GetString());
        Assert.Equal("app", statement.GetProperty("database").GetString());
        Assert.Equal("psql", statement.GetProperty("applicationName").GetString());
        Assert.Equal("SELECT 1", statement.GetProperty("commandTag").GetString());
        Assert.Equal(1, statement.GetProperty("rows").GetInt64());
        Assert.Equal("simple", statement.GetProperty("protocol").GetString());

        // The same session logged in before the statement and ended after it.
        var session = statement.GetProperty("session").GetString();
        await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("session").GetString() == session && e.GetProperty("kind").GetString() == "login_succeeded");
        var end = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("session").GetString() == session && e.GetProperty("kind").GetString() == "session_ended");
        Assert.True(end.GetProperty("statements").GetInt64() >= 1);

        await platform.WaitForCheckpointAsync(PlatformFixture.TenantA, statement.GetProperty("index").GetInt64() + 1);
        using var api = platform.Api(PlatformFixture.TenantA);
        var verify = await api.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
        Assert.True(verify.GetProperty("treeSize").GetInt64() > statement.GetProperty("index").GetInt64());
    }

    [Fact]
    public async Task Npgsql_ParameterisedQueryThroughProxy_IsRecordedAsExtendedProtocol()
    {
        var marker = $"npgsql_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(platform.ProxyConnectionString(PlatformFixture.TenantA)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"select $1::int + 1 as {marker}", connection) { Parameters = { new() { Value = 41 } } };
            Assert.Equal(42, await command.ExecuteScalarAsync());

            await using var failing = new NpgsqlCommand($"select 1/0 as {marker}_fails", connection);
            var error = await Assert.ThrowsAsync<PostgresException>(() => failing.ExecuteScalarAsync());
            Assert.Equal("22012", error.SqlState);
        }

        var statement = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("sql").GetString() == $"select $1::int + 1 as {marker}");
        Assert.Equal("extended", statement.GetProperty("protocol").GetString());
        Assert.Equal("SELECT 1", statement.GetProperty("commandTag").GetString());
        Assert.Equal(JsonValueKind.Null, statement.GetProperty("sqlState").ValueKind);

        var failed = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("sql").GetString() == $"select 1/0 as {marker}_fails");
        Assert.Equal("22012", failed.GetProperty("sqlState").GetString());
        Assert.Equal("division by zero", failed.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Psql_UnknownEndpoint_GetsAClearErrorInsteadOfAHang()
    {
        var uri = $"postgresql://postgres:x@127.0.0.1:{platform.ProxyPort}/app?options=endpoint%3Dnope&connect_timeout=10";

        var (exitCode, output) = await ProcessRunner.RunAsync(Psql, [uri, "-X", "-c", "select 1"], false, TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("endpoint 'nope' does not exist", output);
    }

    [Fact]
    public async Task Psql_WrongPassword_IsRefusedUpstreamAndRecordedAsFailedLogin()
    {
        var uri = $"postgresql://postgres:wrong-{Guid.NewGuid():N}@127.0.0.1:{platform.ProxyPort}/app?options=endpoint%3D{PlatformFixture.TenantB}-db&application_name=wrongpw";

        var (exitCode, output) = await ProcessRunner.RunAsync(Psql, [uri, "-X", "-c", "select 1"], false, TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("password authentication failed", output);
        var failed = await platform.WaitForEventAsync(PlatformFixture.TenantB, e => e.GetProperty("kind").GetString() == "login_failed" && e.GetProperty("applicationName").GetString() == "wrongpw");
        Assert.Equal("28P01", failed.GetProperty("sqlState").GetString());
    }

    [Fact]
    public async Task Api_OtherTenantsKey_SeesNoneOfThisTenantsEvents()
    {
        var marker = $"select 'isolation_{Guid.NewGuid():N}'";
        var (exitCode, output) = await ProcessRunner.RunAsync(Psql, [platform.ProxyUri(PlatformFixture.TenantA), "-X", "-c", marker], false, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, output);
        await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("sql").GetString() == marker);

        using var other = platform.Api(PlatformFixture.TenantB);
        var events = await other.GetFromJsonAsync<JsonElement>("/api/v1/events?limit=1000");

        Assert.All(events.GetProperty("items").EnumerateArray(), e => Assert.Equal(PlatformFixture.TenantB, e.GetProperty("tenant").GetString()));
        Assert.DoesNotContain(events.GetProperty("items").EnumerateArray(), e => e.GetProperty("sql").GetString() == marker);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-real-key-0000000000000000")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Api_WithoutAValidKey_AnswersProblemDetails401(string? authorization)
    {
        using var api = platform.Api(null);
        if (authorization is not null)
        {
            api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await api.GetAsync(new Uri("/api/v1/events", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100000")]
    [InlineData("'; drop table x; --")]
    public async Task Api_BadLimit_AnswersProblemDetails400(string limit)
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.GetAsync(new Uri($"/api/v1/events?limit={Uri.EscapeDataString(limit)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_Ready_ReportsEveryDependencyHealthy()
    {
        using var api = platform.Api(null);

        var report = await api.GetFromJsonAsync<JsonElement>("/health/ready");

        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal(["blob-storage", "postgres", "silo"], report.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order());
    }
}
