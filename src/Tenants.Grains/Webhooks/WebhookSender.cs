using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Webhooks;

namespace Tenants.Grains.Webhooks;

/// <summary>
/// POSTs signed batches to receivers. The host is resolved once per delivery, every address is checked by
/// <see cref="WebhookAddressRules"/>, and the connection goes to the checked address (the name is used only for TLS and
/// the Host header), so a DNS answer that changes between check and connect cannot redirect it. Redirects are not
/// followed. Shared by every grain of the silo.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private static readonly HttpRequestOptionsKey<IPAddress> TargetKey = new("tenants.webhook-target");
    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = _options.Timeout,
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Tenants-Webhooks", "1"));
    }

    /// <summary>Sends <paramref name="body"/> (JSON) signed with the webhook's secret.</summary>
    public async Task<WebhookSendResult> SendAsync(string url, string secret, string webhookId, string deliveryId, byte[] body, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        WebhookSendResult Fail(int? status, string error, bool permanent = false, RetryConditionHeaderValue? retryAfter = null) =>
            new(status, error, Stopwatch.GetElapsedTime(started), retryAfter, permanent);

        if (WebhookAddressRules.CheckUrl(url, out var uri) is { } urlError)
        {
            return Fail(null, urlError, permanent: true);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            IReadOnlyList<IPAddress> addresses;
            try
            {
                addresses = await WebhookAddressRules.ResolveAsync(uri!, timeout.Token);
            }
            catch (SocketException e)
            {
                return Fail(null, $"the host {uri!.Host} could not be resolved: {e.Message}");
            }

            if (WebhookAddressRules.CheckAddresses(uri!, addresses, _options.AllowPrivateAddresses) is { } refused)
            {
                return Fail(null, refused);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
            request.Options.Set(TargetKey, addresses[0]);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Create(secret, _time.GetUtcNow(), body));
            request.Headers.Add("X-Tenants-Delivery", deliveryId);
            request.Headers.Add("X-Tenants-Webhook", webhookId);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return new WebhookSendResult(status, null, Stopwatch.GetElapsedTime(started), null, false);
            }

            var retryable = WebhookBackoff.IsRetryable(status);
            return Fail(status, $"the receiver answered {status} {response.ReasonPhrase}".TrimEnd(), permanent: !retryable, response.Headers.RetryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(null, $"no answer within {WebhookBackoff.Describe(_options.Timeout)}");
        }
        catch (HttpRequestException e)
        {
            return Fail(null, $"could not reach the receiver: {e.Message}");
        }
    }

    public void Dispose() => _client.Dispose();

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (!context.InitialRequestMessage.Options.TryGetValue(TargetKey, out var target))
        {
            throw new HttpRequestException("webhook requests connect only to an address checked by the guard");
        }

        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
