using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A real webhook receiver: Kestrel on a free loopback port, recording every request and answering with the status
/// <see cref="Answer"/> chooses (by the count of requests so far, from 1).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<WebhookRequest> Requests { get; } = new();

    public Func<int, int> Answer { get; set; } = _ => StatusCodes.Status200OK;

    public string Url { get; private set; } = string.Empty;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var app = LoopbackWebApplication.CreateBuilder().Build();
        var receiver = new WebhookReceiver(app);
        var count = 0;
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver.Requests.Enqueue(new WebhookRequest(
                context.Request.Headers["X-Tenants-Signature"].ToString(),
                context.Request.Headers["X-Tenants-Delivery"].ToString(),
                context.Request.Headers["X-Tenants-Webhook"].ToString(),
                body.ToArray()));
            context.Response.StatusCode = receiver.Answer(Interlocked.Increment(ref count));
        });
        await app.StartAsync();
        receiver.Url = app.Urls.Single() + "/hook";
        return receiver;
    }

    /// <summary>The events delivered (signed requests only) whose SQL contains <paramref name="marker"/>.</summary>
    public List<ReceivedWebhookEvent> EventsContaining(string marker) =>
        [.. Requests.Where(r => r.Signature.Length > 0).SelectMany(r => Parse(r.Body)).Where(e => e.Sql?.Contains(marker, StringComparison.Ordinal) == true)];

    /// <summary>The events of one delivery's body.</summary>
    public static IEnumerable<ReceivedWebhookEvent> Parse(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("events").EnumerateArray().Select(e => new ReceivedWebhookEvent(
            e.GetProperty("index").GetInt64(),
            e.GetProperty("id").GetString()!,
            e.GetProperty("kind").GetString()!,
            e.GetProperty("entry").GetProperty("event").TryGetProperty("sql", out var sql) ? sql.GetString() : null))];
    }

    /// <summary>A receiver's check of the signature, as docs/api.md tells receivers to do it.</summary>
    public static void AssertSigned(string secret, WebhookRequest request)
    {
        var parts = request.Signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var t = long.Parse(parts["t"], System.Globalization.CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes($"{t}.").Concat(request.Body).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        Assert.Equal(expected, parts["v1"]);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t, -300, 300);
        Assert.Matches("^[0-9A-Z]{26}$", request.Delivery);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One request a <see cref="WebhookReceiver"/> got.</summary>
public sealed record WebhookRequest(string Signature, string Delivery, string Webhook, byte[] Body);

/// <summary>One event of a delivery.</summary>
public sealed record ReceivedWebhookEvent(long Index, string Id, string Kind, string? Sql);
