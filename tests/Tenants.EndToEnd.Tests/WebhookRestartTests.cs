using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A webhook whose receiver is down when the Host is killed resumes after the restart: the events sealed before the
/// kill arrive in ledger order, signed with the secret shown at creation (sealed at rest, opened by the restarted
/// silo with the same credential keys).
/// </summary>
public sealed class WebhookRestartTests
{
    private const string Tenant = "hookrestart";
    private const string EndpointId = "hookrestart-db";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly string[] Statements = ["statement"];

    [Fact]
    public async Task Delivery_FailingWhenTheHostIsKilled_ResumesAfterRestart_InOrder_SignedWithTheSameSecret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var accepting = 0;
        receiver.Answer = _ => Volatile.Read(ref accepting) == 1 ? 200 : 503;
        await using var platform = await IsolatedPlatform.StartAsync(Tenant, (settings, upstream) => settings
            .Set("Webhooks__AllowPrivateAddresses", "true")
            .Set("Webhooks__RetryBaseDelay", "00:00:00.200")
            .Set("Webhooks__RetryMaxDelay", "00:00:01")
            .AddEndpoint(EndpointId, Tenant, upstream));
        await platform.StartHostAsync();
        string secret;
        using (var api = platform.Api())
        {
            using var created = await api.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, filter = new { kinds = Statements } });
            var body = await created.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
            secret = body.GetProperty("secret").GetString()!;
        }

        var marker = "restart" + Guid.NewGuid().ToString("N")[..12];
        string[] statements = [$"select '{marker}-1'", $"select '{marker}-2'", $"select '{marker}-3'"];
        await using (var connection = new NpgsqlConnection(platform.EndpointConnectionString(EndpointId)))
        {
            await connection.OpenAsync();
            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteScalarAsync();
            }
        }

        await Eventually.TrueAsync(() => Task.FromResult(receiver.EventsContaining(marker).Count >= 3), Patience, "the receiver was never tried with the statements");
        await platform.Host!.KillAsync();
        Volatile.Write(ref accepting, 1);
        var refusedBefore = receiver.Requests.Count;
        await platform.StartHostAsync();

        var delivered = await Eventually.MatchAsync(
            () => Task.FromResult(receiver.Requests.Skip(refusedBefore).SelectMany(r => WebhookReceiver.Parse(r.Body))
                .Where(e => e.Sql?.Contains(marker, StringComparison.Ordinal) == true).ToList()),
            events => events.Count >= 3,
            Patience,
            events => $"after the restart the receiver got {events.Count} of 3 statements");

        Assert.Equal(statements, delivered.DistinctBy(e => e.Id).Select(e => e.Sql));
        Assert.All(receiver.Requests, r => WebhookReceiver.AssertSigned(secret, r));
    }
}
