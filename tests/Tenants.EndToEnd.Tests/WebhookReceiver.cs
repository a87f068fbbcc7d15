using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
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

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One request a <see cref="WebhookReceiver"/> got.</summary>
public sealed record WebhookRequest(string Signature, string Delivery, string Webhook, byte[] Body);
