using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// <c>GET /api/v1/events</c> searching the PostgreSQL index through the real Host: filters, full text, paging, the
/// index's progress, another tenant's ids, hostile input, and the <c>index rebuild</c> command.
/// </summary>
public sealed class EventSearchTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task Search_BySessionSqlStateTextAndFingerprint_FindsWhatTheSessionRan()
    {
        var (marker, session) = await RunSessionAsync(PlatformFixture.TenantA);
        using var api = platform.Api(PlatformFixture.TenantA);

        var all = await ItemsAsync(api, $"session={session}&limit=1000");
        var failed = await ItemsAsync(api, $"session={session}&sqlstate=22012");
        var text = await ItemsAsync(api, $"q={Uri.EscapeDataString(marker)}");
        var statement = all.Single(e => e.GetProperty("sql").GetString() == $"select '{marker}' as marker");
        var sameShape = await ItemsAsync(api, $"session={session}&fingerprint={statement.GetProperty("fingerprint").GetString()}");
        var reads = await ItemsAsync(api, $"session={session}&class=read&minRows=1");

        Assert.All(all, e => Assert.Equal(session, e.GetProperty("session").GetString()));
        Assert.Contains(all, e => e.GetProperty("sql").GetString() == "select 1/0");
        Assert.Equal(["select 1/0"], failed.Select(e => e.GetProperty("sql").GetString()));
        Assert.Equal([statement.GetProperty("index").GetInt64()], text.Select(e => e.GetProperty("index").GetInt64()));
        Assert.Equal(2, sameShape.Count); // select '<marker>' and select '<other literal>' share a shape
        Assert.Contains(reads, e => e.GetProperty("sql").GetString() == $"select '{marker}' as marker");
        Assert.DoesNotContain(reads, e => e.GetProperty("sql").GetString() == "select 1/0");
    }

    [Fact]
    public async Task Search_Paging_WalksTheSessionNewestFirstWithoutRepeats()
    {
        var (_, session) = await RunSessionAsync(PlatformFixture.TenantA);
        using var api = platform.Api(PlatformFixture.TenantA);
        // The session's summary entry is appended shortly after it ends, possibly during the walk: leave it out of both.
        var expected = (await ItemsAsync(api, $"session={session}&limit=1000")).Where(NotSummary).Select(e => e.GetProperty("index").GetInt64()).ToList();

        var walked = new List<long>();
        var query = $"session={session}&limit=2";
        while (true)
        {
            var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/events?{query}");
            walked.AddRange(page.GetProperty("items").EnumerateArray().Where(NotSummary).Select(e => e.GetProperty("index").GetInt64()));
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                break;
            }

            query = $"session={session}&limit=2&before={page.GetProperty("next").GetInt64()}";
        }

        Assert.True(expected.Count >= 4, string.Join(",", expected));
        Assert.Equal(expected, walked);
        Assert.Equal(expected.OrderDescending(), expected);
    }

    [Fact]
    public async Task Search_AnotherTenantsSession_GivesNothing()
    {
        var (marker, session) = await RunSessionAsync(PlatformFixture.TenantA);
        using var other = platform.Api(PlatformFixture.TenantB);

        var bySession = await ItemsAsync(other, $"session={session}");
        var byText = await ItemsAsync(other, $"q={Uri.EscapeDataString(marker)}");

        Assert.Empty(bySession);
        Assert.Empty(byText);
    }

    [Fact]
    public async Task Search_Response_SaysHowFarTheIndexHasGot()
    {
        await RunSessionAsync(PlatformFixture.TenantA);
        using var api = platform.Api(PlatformFixture.TenantA);

        var response = await Eventually.MatchAsync(
            () => api.GetFromJsonAsync<JsonElement>("/api/v1/events?limit=1"),
            r => r.GetProperty("complete").GetBoolean(),
            TimeSpan.FromSeconds(20),
            r => $"the index did not reach the sealed size: {r}");

        Assert.Equal("index", response.GetProperty("source").GetString());
        Assert.Equal(response.GetProperty("sealedSize").GetInt64(), response.GetProperty("indexedSize").GetInt64());
        Assert.True(response.GetProperty("items")[0].GetProperty("index").GetInt64() < response.GetProperty("indexedSize").GetInt64());
    }

    [Theory]
    [InlineData("q=%27")]
    [InlineData("q=%22unbalanced")]
    [InlineData("q=a%20%26%20%7C%20!%20(b")]
    [InlineData("q=%27%3B%20DROP%20TABLE%20ledger_index_events%3B%20--")]
    [InlineData("session=%27%20OR%201%3D1%20--")]
    [InlineData("client=%3A%3A1%27")]
    public async Task Search_HostileButValidText_MatchesNothing(string query)
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.GetAsync(new Uri($"/api/v1/events?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(body.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("q=a%00b", "q")]
    [InlineData("session=%00", "session")]
    [InlineData("sqlstate=bad", "sqlstate")]
    [InlineData("fingerprint=xyz", "fingerprint")]
    [InlineData("before=-1", "before")]
    [InlineData("minRows=-5", "minRows")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("from=yesterday", "from")]
    [InlineData("limit=5000", "limit")]
    public async Task Search_InvalidFilter_Is400NamingIt(string query, string name)
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.GetAsync(new Uri($"/api/v1/events?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(name, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task IndexRebuild_ForOneTenant_ReindexesTheSameEventsWithAProgressLine()
    {
        var (marker, _) = await RunSessionAsync(PlatformFixture.TenantA);
        using var api = platform.Api(PlatformFixture.TenantA);
        var before = await Eventually.MatchAsync(
            () => api.GetFromJsonAsync<JsonElement>("/api/v1/events?limit=1000"),
            r => r.GetProperty("complete").GetBoolean(),
            TimeSpan.FromSeconds(20),
            r => $"the index did not reach the sealed size: {r}");
        var indexedBefore = before.GetProperty("indexedSize").GetInt64();

        var result = await HostProcess.RunCommandAsync(platform.Settings, ["index", "rebuild", "--tenant", PlatformFixture.TenantA], TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Matches($@"index rebuild {PlatformFixture.TenantA}: \d+/\d+ entries, block \d+/\d+", result.Output);
        Assert.Matches($@"{PlatformFixture.TenantA}\t\d+ entries indexed", result.Output);
        var after = await api.GetFromJsonAsync<JsonElement>("/api/v1/events?limit=1000");
        Assert.True(after.GetProperty("indexedSize").GetInt64() >= indexedBefore, after.ToString());
        Assert.Equal(
            before.GetProperty("items").EnumerateArray().Select(e => e.GetRawText()),
            after.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("index").GetInt64() < indexedBefore).Take(before.GetProperty("items").GetArrayLength()).Select(e => e.GetRawText()));
        Assert.Contains(after.GetProperty("items").EnumerateArray(), e => e.GetProperty("sql").GetString() == $"select '{marker}' as marker");
    }

    [Fact]
    public async Task IndexRebuild_WithoutRebuild_IsAUsageError()
    {
        var result = await HostProcess.RunCommandAsync(platform.Settings, ["index", "frobnicate"], TimeSpan.FromMinutes(1));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage: Tenants.Host index rebuild", result.Output, StringComparison.Ordinal);
    }

    /// <summary>One session through the proxy: a marked statement, one of the same shape, an error; waits until searchable.</summary>
    private async Task<(string Marker, string Session)> RunSessionAsync(string tenant)
    {
        // Letters only, so the full-text parser sees one word in the SQL and in the query alike.
        var marker = "srch" + string.Concat(Guid.NewGuid().ToString("N").Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))));
        await using (var connection = new NpgsqlConnection(platform.ProxyConnectionString(tenant)))
        {
            await connection.OpenAsync();
            foreach (var sql in new[] { $"select '{marker}' as marker", "select 'another literal' as marker", "select 2" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteScalarAsync();
            }

            await using var failing = new NpgsqlCommand("select 1/0", connection);
            await Assert.ThrowsAsync<PostgresException>(() => failing.ExecuteScalarAsync());
        }

        var statement = await platform.WaitForEventAsync(tenant, e => e.GetProperty("sql").GetString() == $"select '{marker}' as marker");
        var session = statement.GetProperty("session").GetString()!;
        using var api = platform.Api(tenant);
        await Eventually.MatchAsync(
            () => ItemsAsync(api, $"session={session}&sqlstate=22012"),
            items => items.Count == 1,
            TimeSpan.FromSeconds(20),
            items => $"the failed statement of session {session} is not searchable: {items.Count} items");
        return (marker, session);
    }

    private static bool NotSummary(JsonElement e) => e.GetProperty("kind").GetString() != "session_summary";

    private static async Task<List<JsonElement>> ItemsAsync(HttpClient api, string query)
    {
        var response = await api.GetFromJsonAsync<JsonElement>($"/api/v1/events?{query}");
        return [.. response.GetProperty("items").EnumerateArray()];
    }
}
