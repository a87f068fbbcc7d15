using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// An OpenTelemetry collector's OTLP/HTTP front door (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>), on a free
/// loopback port, keeping every export it is sent. The payloads are protobuf; names in them (span names, instrument
/// names, scope names) are plain UTF-8 strings, which is what the tests look for.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _exports = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = string.Empty;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var app = LoopbackWebApplication.CreateBuilder().Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver._exports.Enqueue((signal, body.ToArray()));
            // An empty ExportServiceResponse: full success.
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        receiver.Endpoint = app.Urls.Single();
        return receiver;
    }

    /// <summary>Whether an export of <paramref name="signal"/> (traces, metrics, logs) so far holds <paramref name="text"/>.</summary>
    public bool Received(string signal, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return _exports.Any(e => e.Signal == signal && e.Body.AsSpan().IndexOf(needle) >= 0);
    }

    /// <summary>What arrived, for failure messages.</summary>
    public string Describe() =>
        string.Join(", ", _exports.GroupBy(e => e.Signal).Select(g => $"{g.Key}: {g.Count()} exports, {g.Sum(e => e.Body.Length)} bytes"));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
