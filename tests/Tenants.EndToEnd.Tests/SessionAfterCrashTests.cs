using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A session open through the proxy when the Host dies (<c>kill -9</c>: edge and silo together, so no session end is
/// ever recorded and the session grain's idle timer dies too) is still summed up after the Host comes back: the index
/// sweep finds the quiet, unended session and wakes its grain, which appends the idle-timeout summary.
/// </summary>
public sealed class SessionAfterCrashTests : IAsyncLifetime
{
    private const string Tenant = "orphan";
    private const string Endpoint = "orphan-db";
    private IsolatedPlatform _platform = null!;

    public async Task InitializeAsync()
    {
        _platform = await IsolatedPlatform.StartAsync(Tenant, (settings, upstream) => settings
            .AddEndpoint(Endpoint, Tenant, upstream)
            // Long enough that the timer cannot fire before the kill, short enough for a test.
            .Set("Sessions__IdleTimeout", "00:00:15")
            .Set("Index__SweepInterval", "00:00:02"));
        await _platform.StartHostAsync();
    }

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task SessionOpenWhenTheHostIsKilled_AfterARestart_IsSummedUpAsIdle()
    {
        var marker = $"select 'orphan_{Guid.NewGuid():N}'";
        var connection = new NpgsqlConnection(_platform.EndpointConnectionString(Endpoint));
        await connection.OpenAsync();
        await IsolatedPlatform.ExecuteAsync(connection, marker);
        string session;
        using (var api = _platform.Api())
        {
            var statement = await Eventually.MatchAsync(
                async () => (await _platform.AllEventsAsync(api, "&kind=statement")).Events.FirstOrDefault(e => e.GetProperty("sql").GetString() == marker),
                e => e.ValueKind == JsonValueKind.Object,
                TimeSpan.FromSeconds(30),
                _ => "the statement was not indexed");
            session = statement.GetProperty("session").GetString()!;
            var open = await Eventually.MatchAsync(
                () => api.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}"),
                s => s.GetProperty("statements").GetInt64() >= 1,
                TimeSpan.FromSeconds(30),
                s => $"the session grain was not fed: {s}");
            Assert.Equal(JsonValueKind.Null, open.GetProperty("ended").ValueKind);
        }

        await _platform.Host!.KillAsync();
        await connection.DisposeAsync();
        await _platform.StartHostAsync();

        // Only the search index is read until the summary shows: reading the session itself would wake its grain.
        using var restarted = _platform.Api();
        await Eventually.MatchAsync(
            async () => (await _platform.AllEventsAsync(restarted, "&kind=session_summary")).Events.Count(e => e.GetProperty("session").GetString() == session),
            count => count == 1,
            TimeSpan.FromSeconds(90),
            count => $"{count} summaries of session {session} after the restart\nHost output:\n{ProcessRunner.Tail(_platform.Host!.Output)}");
        var summed = await restarted.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}");

        Assert.Equal("idle_timeout", summed.GetProperty("ended").GetString());
        Assert.True(summed.GetProperty("statements").GetInt64() >= 1);
    }
}
