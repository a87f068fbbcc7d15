using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Webhooks through the real Host: sealed events of statements run through the proxy reach a Kestrel receiver in the
/// test process signed, in ledger order and each once; retries after 500s; a 400 goes to dead letters and is
/// redelivered; bad URLs and another tenant's ids are refused; the secret is shown once.
/// </summary>
public sealed class WebhookApiTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string[] Statements = ["statement"];
    private static readonly string[] AcmeDb = ["acme-db"];

    [Fact]
    public async Task Webhook_ReceiverFailsTwiceWith500_GetsEveryStatementSignedInOrderOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = n => n <= 2 ? 500 : 200;
        using var api = platform.Api(PlatformFixture.TenantA);
        var (id, secret) = await CreateAsync(api, receiver.Url, new { kinds = Statements, endpoints = AcmeDb });

        var marker = "wh" + Guid.NewGuid().ToString("N")[..12];
        await RunAsync(PlatformFixture.TenantA, [$"select '{marker}-1'", $"select '{marker}-2'", $"select '{marker}-3'"]);

        var mine = await Eventually.MatchAsync(
            () => Task.FromResult(receiver.EventsContaining(marker)),
            events => events.Count >= 3,
            Timeout,
            events => $"the receiver got {events.Count} of 3 statements; requests: {receiver.Requests.Count}");

        Assert.All(receiver.Requests, r =>
        {
            Assert.Equal(id, r.Webhook);
            WebhookReceiver.AssertSigned(secret, r);
        });
        Assert.Equal([$"select '{marker}-1'", $"select '{marker}-2'", $"select '{marker}-3'"], mine.DistinctBy(e => e.Id).Select(e => e.Sql));
        var indexes = mine.DistinctBy(e => e.Id).Select(e => e.Index).ToList();
        Assert.Equal(indexes.Order(), indexes);
        var delivered = receiver.Requests.Skip(2).SelectMany(r => WebhookReceiver.Parse(r.Body)).ToList();
        Assert.Equal(delivered.Count, delivered.Select(e => e.Id).Distinct().Count()); // each event once after the retries
        Assert.All(receiver.Requests.SelectMany(r => WebhookReceiver.Parse(r.Body)), e => Assert.Equal("statement", e.Kind));

        // The receiver answers before the grain records the attempt.
        var outcomes = await Eventually.MatchAsync(
            async () => (await api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}/deliveries")).GetProperty("items").EnumerateArray()
                .Select(d => (d.GetProperty("outcome").GetString(), d.GetProperty("statusCode").GetInt32())).ToList(),
            list => list.Contains(("delivered", 200)),
            Timeout,
            list => $"no delivered attempt recorded: {string.Join(", ", list)}");
        Assert.Contains(("retrying", 500), outcomes);
        var hook = await api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}");
        Assert.Equal("active", hook.GetProperty("status").GetString());
        Assert.DoesNotContain(secret, hook.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await api.GetStringAsync("/api/v1/webhooks"), StringComparison.Ordinal);
        Assert.Equal(0L, await StoredCopiesAsync(secret));
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/webhooks/{id}")).StatusCode);
    }

    [Fact]
    public async Task Webhook_ReceiverAnswers400_BatchIsDeadLetteredAndRedeliveredOnRequest()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => 400;
        using var api = platform.Api(PlatformFixture.TenantA);
        var (id, secret) = await CreateAsync(api, receiver.Url, new { kinds = Statements });
        var marker = "dl" + Guid.NewGuid().ToString("N")[..12];
        await RunAsync(PlatformFixture.TenantA, [$"select '{marker}'"]);

        var letter = await Eventually.MatchAsync(
            () => api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}/dead-letters"),
            list => list.GetProperty("items").GetArrayLength() > 0,
            Timeout,
            list => $"no dead letter: {list}");
        var first = letter.GetProperty("items")[0];
        Assert.Equal(1, first.GetProperty("attempts").GetInt32()); // a 400 is not retried
        Assert.Equal(400, first.GetProperty("lastStatusCode").GetInt32());
        var tried = receiver.Requests.Count;

        receiver.Answer = _ => 200;
        var deliveryId = first.GetProperty("deliveryId").GetString();
        using var redeliver = await api.PostAsync($"/api/v1/webhooks/{id}/dead-letters/{deliveryId}/redeliver", null);
        var attempt = await redeliver.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, redeliver.StatusCode);
        Assert.Equal("delivered", attempt.GetProperty("outcome").GetString());
        var resent = receiver.Requests.Skip(tried).Single(r => r.Delivery == deliveryId);
        WebhookReceiver.AssertSigned(secret, resent);
        var remaining = await api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}/dead-letters");
        Assert.DoesNotContain(remaining.GetProperty("items").EnumerateArray(), d => d.GetProperty("deliveryId").GetString() == deliveryId);
        using var again = await api.PostAsync($"/api/v1/webhooks/{id}/dead-letters/{deliveryId}/redeliver", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        await api.DeleteAsync($"/api/v1/webhooks/{id}");
    }

    [Fact]
    public async Task Webhook_TestPing_IsSignedAndReported()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var api = platform.Api(PlatformFixture.TenantA);
        var (id, secret) = await CreateAsync(api, receiver.Url, null);

        using var response = await api.PostAsync($"/api/v1/webhooks/{id}/test", null);
        var attempt = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("delivered", attempt.GetProperty("outcome").GetString());
        var ping = Assert.Single(receiver.Requests, r => JsonDocument.Parse(r.Body).RootElement.GetProperty("kind").GetString() == "ping");
        WebhookReceiver.AssertSigned(secret, ping);
        await api.DeleteAsync($"/api/v1/webhooks/{id}");
    }

    [Fact]
    public async Task Webhook_AnotherTenantsId_Is404Everywhere()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var a = platform.Api(PlatformFixture.TenantA);
        using var b = platform.Api(PlatformFixture.TenantB);
        var (id, _) = await CreateAsync(a, receiver.Url, null);
        var fake = "01JABCDEFGHJKMNPQRSTVWXYZ0";

        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/v1/webhooks/{id}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/v1/webhooks/{id}/dead-letters")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsync($"/api/v1/webhooks/{id}/test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsync($"/api/v1/webhooks/{id}/dead-letters/{fake}/redeliver", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.DoesNotContain(id, await b.GetStringAsync("/api/v1/webhooks"), StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"/api/v1/webhooks/{id}")).StatusCode);
        await a.DeleteAsync($"/api/v1/webhooks/{id}");
    }

    [Theory]
    [InlineData("{\"url\":\"ftp://127.0.0.1/hook\"}", "url")]
    [InlineData("{\"url\":\"http://169.254.169.254/latest/meta-data\"}", "url")]
    [InlineData("{\"url\":\"https://[fd00:ec2::254]/\"}", "url")]
    [InlineData("{\"url\":\"https://user:pw@example.com/\"}", "url")]
    [InlineData("{\"url\":\"not a url\"}", "url")]
    [InlineData("{\"url\":\"https://0.0.0.0/\"}", "url")]
    [InlineData("{\"url\":\"http://127.0.0.1/x\",\"filter\":{\"kinds\":[\"'; drop table x; --\"]}}", "kinds")]
    [InlineData("{\"url\":\"http://127.0.0.1/x\",\"filter\":{\"classes\":[\"select\"]}}", "classes")]
    [InlineData("{\"url\":\"http://127.0.0.1/x\",\"colour\":\"red\"}", "colour")]
    [InlineData("{\"url\":42}", "url")]
    [InlineData("{\"url\":", "")]
    public async Task Create_BadInput_Is400Problem(string body, string mentioned)
    {
        using var api = platform.Api(PlatformFixture.TenantA);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await api.PostAsync("/api/v1/webhooks", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentioned, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Webhooks_MalformedIdsAndNoCredentials_AreRefused()
    {
        using var api = platform.Api(PlatformFixture.TenantA);
        using var anonymous = platform.Api(null);

        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/webhooks/'%20or%201=1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("/api/v1/webhooks/wh_01jabcdefghjkmnpqrstvwxyz0/dead-letters/nope/redeliver", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/webhooks")).StatusCode);
    }

    private static async Task<(string Id, string Secret)> CreateAsync(HttpClient api, string url, object? filter)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/webhooks", new { url, description = "test receiver", filter });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        var secret = body.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        return (body.GetProperty("webhook").GetProperty("id").GetString()!, secret);
    }

    private async Task RunAsync(string tenant, IEnumerable<string> statements)
    {
        await using var connection = new NpgsqlConnection(platform.ProxyConnectionString(tenant));
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteScalarAsync();
        }
    }

    // Grain state rows whose payload holds the secret in clear (it must be sealed at rest).
    private async Task<long> StoredCopiesAsync(string secret)
    {
        await using var connection = new NpgsqlConnection(platform.PlatformDatabase);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) from orleans_grain_state where position(convert_to(@secret, 'UTF8') in payload) > 0", connection);
        command.Parameters.AddWithValue("secret", secret);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
