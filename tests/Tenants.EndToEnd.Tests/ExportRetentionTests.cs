using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Export bundles do not pile up: once <c>Exports:Retention</c> has passed, the bundle blob is deleted, the job stays
/// listed as deleted without a download link, and the download answers 410 with what to do.
/// </summary>
public sealed class ExportRetentionTests
{
    private const string Tenant = "retention";
    private const string EndpointId = "retention-db";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Bundle_AfterRetention_IsDeletedFromStorage_AndItsDownloadIsGone()
    {
        await using var platform = await IsolatedPlatform.StartAsync(Tenant, (settings, upstream) => settings
            .Set("Exports__Retention", "00:00:20")
            .AddEndpoint(EndpointId, Tenant, upstream));
        await platform.StartHostAsync();
        await using (var connection = new NpgsqlConnection(platform.EndpointConnectionString(EndpointId)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select 'retained'", connection);
            await command.ExecuteScalarAsync();
        }

        using var api = platform.Api();
        await Eventually.MatchAsync(
            async () => (await platform.AllEventsAsync(api, "&kind=statement")).Events,
            events => events.Count > 0,
            Patience,
            events => "the statement is not indexed yet");
        using var start = await api.PostAsJsonAsync("/api/v1/exports", new { kind = "statement" });
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var done = await Eventually.MatchAsync(
            () => api.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{id}"),
            job => job.GetProperty("status").GetString() is "done" or "failed",
            Patience,
            job => $"export {id} did not finish: {job}");
        Assert.Equal("done", done.GetProperty("status").GetString());
        var container = new BlobContainerClient(platform.Azurite.ConnectionString, "ledger-exports");
        var blob = container.GetBlobClient($"tenants/{Tenant}/exports/{id}.tar");
        Assert.True((await blob.ExistsAsync()).Value, "the finished export has no bundle blob");

        var gone = await Eventually.MatchAsync(
            () => api.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{id}"),
            job => job.GetProperty("export").GetProperty("deleted").GetBoolean(),
            Patience,
            job => $"the bundle of {id} was not deleted: {job}");
        using var download = await api.GetAsync($"/api/v1/exports/{id}/download");

        Assert.Equal(JsonValueKind.Null, gone.GetProperty("download").ValueKind);
        Assert.Equal(HttpStatusCode.Gone, download.StatusCode);
        Assert.Equal("application/problem+json", download.Content.Headers.ContentType?.MediaType);
        Assert.Contains("start the export again", await download.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False((await blob.ExistsAsync()).Value, "the bundle blob is still stored");
    }
}
