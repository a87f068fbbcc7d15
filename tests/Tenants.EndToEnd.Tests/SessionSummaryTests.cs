using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A psql session through the proxy, summed up by its session grain: <c>GET /api/v1/sessions/{id}</c> gives its counts
/// and digest, its <c>session_summary</c> entry is in the ledger, and the verifier recomputes it from the entries.
/// </summary>
public sealed class SessionSummaryTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PsqlSession_AfterItEnds_HasASummaryWithItsCountsThatTheVerifierAccepts()
    {
        var marker = $"session_{Guid.NewGuid():N}";
        var psql = Path.Combine(platform.Upstream.BinDirectory, "psql");
        await ProcessRunner.RunAsync(
            psql, [platform.ProxyUri(PlatformFixture.TenantA), "-X", "-c", $"select '{marker}'", "-c", "select 2", "-c", "select 1/0", "-c", "select 4"],
            false, Timeout);
        var statement = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("sql").GetString() == $"select '{marker}'");
        var session = statement.GetProperty("session").GetString()!;
        using var api = platform.Api(PlatformFixture.TenantA);

        var summary = await Eventually.MatchAsync(
            () => api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}"),
            s => s.GetProperty("summaryLeaf").ValueKind == JsonValueKind.Number,
            Timeout,
            s => $"session {session} has no sealed summary yet: {s}");
        var summaryLeaf = summary.GetProperty("summaryLeaf").GetInt64();
        // The summary's block is fed to the grain just before its rows are committed to the index.
        var timeline = await Eventually.MatchAsync(
            () => TimelineAsync(api, session),
            t => t.Any(e => e.GetProperty("kind").GetString() == "session_summary"),
            Timeout,
            t => $"the timeline of {session} has no summary yet: {t.Count} events");
        await platform.WaitForCheckpointAsync(PlatformFixture.TenantA, summaryLeaf + 1);
        var verify = await api.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");

        Assert.Equal("session_ended", summary.GetProperty("ended").GetString());
        Assert.Equal("succeeded", summary.GetProperty("login").GetString());
        Assert.Equal(4, summary.GetProperty("statements").GetInt64());
        Assert.Equal(1, summary.GetProperty("errors").GetInt64());
        Assert.Equal(1, summary.GetProperty("sqlStates").GetProperty("22012").GetInt64());
        Assert.Matches("^[0-9a-f]{64}$", summary.GetProperty("digest").GetString());
        Assert.Equal(timeline.Select(e => e.GetProperty("index").GetInt64()).Order(), timeline.Select(e => e.GetProperty("index").GetInt64()));
        Assert.Equal(4, timeline.Count(e => e.GetProperty("kind").GetString() == "statement"));
        var summaryEvent = Assert.Single(timeline, e => e.GetProperty("kind").GetString() == "session_summary");
        Assert.Equal(summaryLeaf, summaryEvent.GetProperty("index").GetInt64());
        Assert.Equal(summary.GetProperty("entries").GetInt64() + 1, timeline.Count);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
        Assert.Contains(verify.GetProperty("report").EnumerateArray(), l => l.GetString()!.StartsWith("summary\tsessions\t", StringComparison.Ordinal)
            && l.GetString()!.Contains(", 0/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetSession_AnotherTenantsSessionId_IsNotFound()
    {
        var marker = $"foreign_{Guid.NewGuid():N}";
        await platform.RunSignedAsync(PlatformFixture.TenantA, $"select '{marker}'");
        var statement = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("sql").GetString() == $"select '{marker}'");
        var session = statement.GetProperty("session").GetString()!;
        using var own = platform.Api(PlatformFixture.TenantA);
        using var other = platform.Api(PlatformFixture.TenantB);
        await Eventually.TrueAsync(
            async () => (await own.GetAsync($"/api/v1/sessions/{session}")).StatusCode == HttpStatusCode.OK, Timeout, $"session {session} known");

        var response = await other.GetAsync($"/api/v1/sessions/{session}");
        var timeline = await other.GetAsync($"/api/v1/sessions/{session}/timeline");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, timeline.StatusCode);
        Assert.Equal("application/problem+json", timeline.Content.Headers.ContentType?.MediaType);
    }

    // Walks the timeline two events at a time, so that paging is part of what is checked.
    private static async Task<List<JsonElement>> TimelineAsync(HttpClient api, string session)
    {
        var items = new List<JsonElement>();
        var query = "limit=2";
        while (true)
        {
            var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}/timeline?{query}");
            items.AddRange(page.GetProperty("items").EnumerateArray());
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                return items;
            }

            query = $"limit=2&after={page.GetProperty("next").GetInt64()}";
        }
    }
}
