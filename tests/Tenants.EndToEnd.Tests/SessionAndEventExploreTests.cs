using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Sessions list, event sort orders, facets, histogram, event detail and CSV/JSON Lines export through the real Host,
/// after real sessions through the proxy; another tenant's view of them; hostile input.
/// </summary>
public sealed class SessionAndEventExploreTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sessions_AfterSessionsThroughTheProxy_AppearWithTagsAndLoginOutcome()
    {
        var (application, session) = await RunSessionAsync(PlatformFixture.TenantA);
        var wrong = $"wrongpw{Guid.NewGuid():N}"[..20];
        var uri = $"postgresql://postgres:wrong-{Guid.NewGuid():N}@127.0.0.1:{platform.ProxyPort}/app?options=endpoint%3D{PlatformFixture.TenantA}-db&application_name={wrong}";
        var (exitCode, _) = await ProcessRunner.RunAsync(Path.Combine(platform.Upstream.BinDirectory, "psql"), [uri, "-X", "-c", "select 1"], false, _wait);
        using var api = platform.Api(PlatformFixture.TenantA);

        var ended = await Eventually.MatchAsync(
            () => SessionsAsync(api, "state=ended&login=succeeded&limit=1000"),
            items => items.Any(s => s.GetProperty("sessionId").GetString() == session),
            _wait,
            items => $"session {session} is not listed as ended: {JsonSerializer.Serialize(items)}");
        var failed = await Eventually.MatchAsync(
            () => SessionsAsync(api, "login=failed&limit=1000"),
            items => items.Any(s => s.GetProperty("applicationName").GetString() == wrong),
            _wait,
            items => $"the failed login is not listed: {JsonSerializer.Serialize(items)}");

        Assert.NotEqual(0, exitCode);
        var s = ended.Single(s => s.GetProperty("sessionId").GetString() == session);
        Assert.Equal($"{PlatformFixture.TenantA}-db", s.GetProperty("endpoint").GetString());
        Assert.Equal(platform.Upstream.Username, s.GetProperty("user").GetString());
        Assert.Equal("app", s.GetProperty("database").GetString());
        Assert.Equal(application, s.GetProperty("applicationName").GetString());
        Assert.Equal("session_ended", s.GetProperty("ended").GetString());
        var events = (await EventsAsync(api, $"session={session}&limit=1000")).Where(e => e.GetProperty("kind").GetString() != "session_summary").ToList();
        Assert.Equal(events.Count(e => e.GetProperty("kind").GetString() == "statement"), s.GetProperty("statements").GetInt64());
        Assert.Equal(events.Count, s.GetProperty("entries").GetInt64());
        Assert.Equal(1, s.GetProperty("errors").GetInt64());
        Assert.Equal($"/api/v1/sessions/{session}", s.GetProperty("href").GetString());
        Assert.All(failed, f => Assert.Equal("failed", f.GetProperty("login").GetString()));
        Assert.DoesNotContain(await SessionsAsync(api, "state=open&limit=1000"), o => o.GetProperty("sessionId").GetString() == session);
        Assert.Contains(await SessionsAsync(api, $"user={platform.Upstream.Username}&endpoint={PlatformFixture.TenantA}-db&limit=1000"),
            o => o.GetProperty("sessionId").GetString() == session);
    }

    [Fact]
    public async Task Sessions_Paging_WalksNewestFirstWithoutRepeats()
    {
        await RunSessionAsync(PlatformFixture.TenantA);
        await RunSessionAsync(PlatformFixture.TenantA);
        using var api = platform.Api(PlatformFixture.TenantA);
        var all = (await SessionsAsync(api, "limit=1000")).Select(s => s.GetProperty("firstLeaf").GetInt64()).ToList();

        var walked = new List<long>();
        var query = "limit=1";
        for (var pages = 0; pages < 3; pages++)
        {
            var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions?{query}");
            walked.AddRange(page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("firstLeaf").GetInt64()));
            query = $"limit=1&before={page.GetProperty("next").GetInt64()}";
        }

        Assert.Equal(all.Take(3), walked);
        Assert.Equal(all.OrderDescending(), all);
    }

    [Fact]
    public async Task FacetsAndHistogram_OfASession_MatchItsEvents()
    {
        var (_, session) = await RunSessionAsync(PlatformFixture.TenantA);
        using var api = platform.Api(PlatformFixture.TenantA);
        var events = await EventsAsync(api, $"session={session}&limit=1000");
        var first = events.Min(e => e.GetProperty("time").GetDateTimeOffset());

        var facets = await api.GetFromJsonAsync<JsonElement>($"/api/v1/events/facets?session={session}&top=100");
        var statementUsers = await api.GetFromJsonAsync<JsonElement>($"/api/v1/events/facets?session={session}&kind=statement&fields=user,tag");
        var from = Uri.EscapeDataString(first.AddMinutes(-1).ToString("O"));
        var to = Uri.EscapeDataString(first.AddMinutes(2).ToString("O"));
        var histogram = await api.GetFromJsonAsync<JsonElement>($"/api/v1/events/histogram?session={session}&from={from}&to={to}&bucket=1m");
        var automatic = await api.GetFromJsonAsync<JsonElement>($"/api/v1/events/histogram?session={session}");

        Assert.Equal(events.Count, facets.GetProperty("total").GetInt64());
        var expectedKinds = events.GroupBy(e => e.GetProperty("kind").GetString()!).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expectedKinds, facets.GetProperty("facets").GetProperty("kind").EnumerateArray()
            .ToDictionary(v => v.GetProperty("value").GetString()!, v => v.GetProperty("count").GetInt64()));
        Assert.Equal([("22012", 1L)], facets.GetProperty("facets").GetProperty("sqlstate").EnumerateArray()
            .Select(v => (v.GetProperty("value").GetString(), v.GetProperty("count").GetInt64())));
        Assert.Equal(["tag", "user"], statementUsers.GetProperty("facets").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(
            [(platform.Upstream.Username, events.Count(e => e.GetProperty("kind").GetString() == "statement"))],
            statementUsers.GetProperty("facets").GetProperty("user").EnumerateArray().Select(v => (v.GetProperty("value").GetString(), (int)v.GetProperty("count").GetInt64())));
        Assert.Equal(3, histogram.GetProperty("buckets").GetArrayLength());
        Assert.Equal(60, histogram.GetProperty("bucketSeconds").GetInt64());
        Assert.Equal(events.Count, histogram.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()));
        Assert.Equal(events.Count, histogram.GetProperty("total").GetInt64());
        Assert.Equal(events.Count, automatic.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Search_SortOrders_OrderAndPageTheSessionsEvents()
    {
        var (_, session) = await RunSessionAsync(PlatformFixture.TenantA);
        using var api = platform.Api(PlatformFixture.TenantA);

        var ascending = await EventsAsync(api, $"session={session}&sort=time&limit=1000");
        var longest = await EventsAsync(api, $"session={session}&sort=-duration&limit=1000");
        var fewest = await EventsAsync(api, $"session={session}&sort=rows&limit=1000");
        var walked = new List<long>();
        var query = $"session={session}&sort=-duration&limit=2";
        while (true)
        {
            var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/events?{query}");
            walked.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("index").GetInt64()));
            if (page.GetProperty("cursor").ValueKind == JsonValueKind.Null)
            {
                break;
            }

            query = $"session={session}&sort=-duration&limit=2&cursor={Uri.EscapeDataString(page.GetProperty("cursor").GetString()!)}";
        }

        var indexes = ascending.Select(e => e.GetProperty("index").GetInt64()).ToList();
        Assert.Equal(indexes.Order(), indexes);
        var durations = longest.Select(e => e.GetProperty("durationMicros").GetInt64()).ToList();
        Assert.True(durations.Count >= 4, string.Join(",", durations));
        Assert.Equal(durations.OrderDescending(), durations);
        var rows = fewest.Select(e => e.GetProperty("rows").GetInt64()).ToList();
        Assert.Equal(rows.Order(), rows);
        Assert.Equal(longest.Select(e => e.GetProperty("index").GetInt64()), walked);
    }

    [Fact]
    public async Task Export_CsvAndJsonLines_HoldEveryMatchingEventSafely()
    {
        var (_, session) = await RunSessionAsync(PlatformFixture.TenantA);
        using var api = platform.Api(PlatformFixture.TenantA);
        var events = await EventsAsync(api, $"session={session}&sort=time&limit=1000");

        using var csvResponse = await api.GetAsync(new Uri($"/api/v1/events/export?format=csv&session={session}", UriKind.Relative));
        var csv = await csvResponse.Content.ReadAsStringAsync();
        using var jsonlResponse = await api.GetAsync(new Uri($"/api/v1/events/export?format=jsonl&session={session}", UriKind.Relative));
        var jsonl = (await jsonlResponse.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"format=csv&session={session}", csvResponse.Headers.GetValues("X-Tenants-Export-Filter").Single());
        Assert.StartsWith("index,id,time,kind,endpoint,session,user,database,person,client,application,class,tag,rows,sqlstate,durationMicros,fingerprint,sql,message\r\n", csv, StringComparison.Ordinal);
        // The comment statement starts with '-': guarded with a quote, and quoted because it holds a line break.
        Assert.Contains("\"'-- =HYPERLINK(\"\"http://x\"\")\nselect 3\"", csv, StringComparison.Ordinal);
        var records = ParseCsv(csv);
        Assert.All(records, r => Assert.Equal(19, r.Count));
        Assert.Equal(events.Select(e => e.GetProperty("index").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)), records.Skip(1).Select(r => r[0]));
        Assert.Contains(records, r => r[17] == "'-- =HYPERLINK(\"http://x\")\nselect 3");
        Assert.Equal(HttpStatusCode.OK, jsonlResponse.StatusCode);
        Assert.Equal(events.Select(e => e.GetProperty("index").GetInt64()), jsonl.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("index").GetInt64()));
        Assert.Contains(jsonl, l => JsonDocument.Parse(l).RootElement.TryGetProperty("sql", out var sql) && sql.GetString() == "-- =HYPERLINK(\"http://x\")\nselect 3");
    }

    [Fact]
    public async Task EventDetail_ByIdAndByIndex_GivesTheSealedEntryBlockAndLinks()
    {
        var (_, session) = await RunSessionAsync(PlatformFixture.TenantA);
        using var api = platform.Api(PlatformFixture.TenantA);
        var statement = (await EventsAsync(api, $"session={session}&sqlstate=22012")).Single();
        var id = statement.GetProperty("id").GetString()!;
        var index = statement.GetProperty("index").GetInt64();

        var byId = await api.GetFromJsonAsync<JsonElement>($"/api/v1/events/{id}");
        var byIndex = await api.GetFromJsonAsync<JsonElement>($"/api/v1/events/index:{index}");

        Assert.Equal(statement.GetRawText(), byId.GetProperty("event").GetRawText());
        Assert.Equal(byId.GetRawText(), byIndex.GetRawText());
        Assert.Contains($"\"id\":\"{id}\"", byId.GetProperty("entry").GetString(), StringComparison.Ordinal);
        var block = byId.GetProperty("block");
        Assert.InRange(index, block.GetProperty("firstIndex").GetInt64(), block.GetProperty("lastIndex").GetInt64());
        Assert.StartsWith("blocks/", block.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal($"/api/v1/sessions/{session}", byId.GetProperty("sessionHref").GetString());
        Assert.Equal($"/api/v1/ledger/proofs/inclusion?index={index}", byId.GetProperty("inclusionProofHref").GetString());
    }

    [Fact]
    public async Task TenantB_WithTenantAsIds_SeesNoneOfItsSessionsEventsFacetsOrExports()
    {
        var (application, session) = await RunSessionAsync(PlatformFixture.TenantA);
        using var a = platform.Api(PlatformFixture.TenantA);
        var statement = (await EventsAsync(a, $"session={session}&sqlstate=22012")).Single();
        using var b = platform.Api(PlatformFixture.TenantB);

        var sessions = await SessionsAsync(b, "limit=1000");
        var facets = await b.GetFromJsonAsync<JsonElement>($"/api/v1/events/facets?session={session}");
        var histogram = await b.GetFromJsonAsync<JsonElement>($"/api/v1/events/histogram?session={session}");
        var export = await b.GetStringAsync(new Uri($"/api/v1/events/export?format=jsonl&session={session}", UriKind.Relative));
        var allExport = await b.GetStringAsync(new Uri("/api/v1/events/export?format=csv", UriKind.Relative));
        using var detail = await b.GetAsync(new Uri($"/api/v1/events/{statement.GetProperty("id").GetString()}", UriKind.Relative));
        using var byIndex = await b.GetAsync(new Uri($"/api/v1/events/index:{statement.GetProperty("index").GetInt64()}", UriKind.Relative));

        Assert.DoesNotContain(sessions, s => s.GetProperty("sessionId").GetString() == session);
        Assert.Equal(0, facets.GetProperty("total").GetInt64());
        Assert.Equal(0, histogram.GetProperty("total").GetInt64());
        Assert.Empty(export);
        Assert.DoesNotContain(session, allExport, StringComparison.Ordinal);
        Assert.DoesNotContain(application, allExport, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
        Assert.Equal("application/problem+json", detail.Content.Headers.ContentType?.MediaType);
        // The same leaf index in tenant B's own ledger is B's event, or nothing: never A's.
        if (byIndex.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(PlatformFixture.TenantB, (await byIndex.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("event").GetProperty("tenant").GetString());
        }
        else
        {
            Assert.Equal(HttpStatusCode.NotFound, byIndex.StatusCode);
        }
    }

    [Theory]
    [InlineData("/api/v1/sessions?state=closed", "state")]
    [InlineData("/api/v1/sessions?login=maybe", "login")]
    [InlineData("/api/v1/sessions?limit=0", "limit")]
    [InlineData("/api/v1/sessions?limit=abc", "limit")]
    [InlineData("/api/v1/sessions?user=%00", "user")]
    [InlineData("/api/v1/sessions?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("/api/v1/events?sort=sql", "sort")]
    [InlineData("/api/v1/events?sort=-duration&cursor=5", "cursor")]
    [InlineData("/api/v1/events?cursor=%27%20OR%201%3D1", "cursor")]
    [InlineData("/api/v1/events?sort=rows&before=3", "before")]
    [InlineData("/api/v1/events?minRows=5&maxRows=2", "maxRows")]
    [InlineData("/api/v1/events?maxDurationMicros=-1", "maxDurationMicros")]
    [InlineData("/api/v1/events?tag=%00", "tag")]
    [InlineData("/api/v1/events/facets?fields=sql", "fields")]
    [InlineData("/api/v1/events/facets?fields=kind,%27%3B%20DROP%20TABLE%20x", "fields")]
    [InlineData("/api/v1/events/facets?top=1000", "top")]
    [InlineData("/api/v1/events/histogram?bucket=0s", "bucket")]
    [InlineData("/api/v1/events/histogram?bucket=1x", "bucket")]
    [InlineData("/api/v1/events/histogram?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=1s", "bucket")]
    [InlineData("/api/v1/events/histogram?from=2999-01-01T00:00:00Z", "from")]
    [InlineData("/api/v1/events/export", "format")]
    [InlineData("/api/v1/events/export?format=xlsx", "format")]
    [InlineData("/api/v1/events/export?format=csv&sort=-rows", "sort")]
    [InlineData("/api/v1/events/%27%20OR%201=1", "id")]
    [InlineData("/api/v1/events/index:abc", "id")]
    [InlineData("/api/v1/events/index:-1", "id")]
    public async Task BadInput_Is400ProblemNamingIt(string path, string name)
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(name, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/v1/sessions?endpoint=%27%20OR%201%3D1%20--")]
    [InlineData("/api/v1/sessions?client=%3A%3A1%27")]
    [InlineData("/api/v1/events?sort=-duration&q=%27%3B%20DROP%20TABLE%20ledger_index_sessions%3B%20--")]
    [InlineData("/api/v1/events/facets?user=%27%20OR%20%271%27%3D%271")]
    [InlineData("/api/v1/events/histogram?q=a%20%26%20%7C%20!%20(b")]
    public async Task HostileButValidFilters_MatchNothing(string path)
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var empty = body.TryGetProperty("items", out var items) ? items.GetArrayLength() == 0 : body.GetProperty("total").GetInt64() == 0;
        Assert.True(empty, body.ToString());
    }

    [Fact]
    public async Task Export_WithoutAKey_Is401AndUnknownEvent_Is404()
    {
        using var anonymous = platform.Api(null);
        using var api = platform.Api(PlatformFixture.TenantA);

        using var export = await anonymous.GetAsync(new Uri("/api/v1/events/export?format=csv", UriKind.Relative));
        using var sessions = await anonymous.GetAsync(new Uri("/api/v1/sessions", UriKind.Relative));
        using var unknown = await api.GetAsync(new Uri($"/api/v1/events/01{Guid.NewGuid():N}"[..40], UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, export.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, sessions.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>
    /// One session through the proxy with its own application name: three statements with rows, a comment-led one, and
    /// an error; waits until its session_summary (the last entry of a session) is searchable.
    /// </summary>
    private async Task<(string Application, string Session)> RunSessionAsync(string tenant)
    {
        var application = "explore" + Guid.NewGuid().ToString("N")[..12];
        var builder = new NpgsqlConnectionStringBuilder(platform.ProxyConnectionString(tenant)) { ApplicationName = application };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var sql in new[] { "select 1", "select generate_series(1, 5)", "-- =HYPERLINK(\"http://x\")\nselect 3" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }
            }

            await using var failing = new NpgsqlCommand("select 1/0", connection);
            await Assert.ThrowsAsync<PostgresException>(() => failing.ExecuteScalarAsync());
        }

        using var api = platform.Api(tenant);
        var ended = await Eventually.MatchAsync(
            () => EventsAsync(api, "kind=session_summary&limit=1000"),
            items => items.Any(e => e.GetProperty("applicationName").GetString() == application),
            _wait,
            items => $"the session of {application} has no searchable session_summary");
        return (application, ended.First(e => e.GetProperty("applicationName").GetString() == application).GetProperty("session").GetString()!);
    }

    private static async Task<List<JsonElement>> EventsAsync(HttpClient api, string query)
    {
        var response = await api.GetFromJsonAsync<JsonElement>($"/api/v1/events?{query}");
        return [.. response.GetProperty("items").EnumerateArray()];
    }

    /// <summary>RFC 4180: records of fields, quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.False(quoted, "the CSV ends inside a quoted field");
        Assert.Empty(record);
        return records;
    }

    private static async Task<List<JsonElement>> SessionsAsync(HttpClient api, string query)
    {
        var response = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions?{query}");
        return [.. response.GetProperty("items").EnumerateArray()];
    }
}
