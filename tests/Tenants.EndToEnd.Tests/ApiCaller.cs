using System.Net.Http.Json;

namespace Tenants.EndToEnd.Tests;

/// <summary>One way of calling the API: a portal session (cookie, echoing its CSRF token) or a bearer key.</summary>
public sealed class ApiCaller(string name, HttpClient client, string? csrf) : IDisposable
{
    public string Name { get; } = name;

    public HttpClient Client { get; } = client;

    /// <summary>The session's CSRF token; null for a key.</summary>
    public string? Csrf { get; } = csrf;

    /// <summary>Sends a request; <paramref name="body"/> is sent as JSON, or verbatim when it is a string.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Content = body switch
        {
            null => null,
            string raw => new StringContent(raw, System.Text.Encoding.UTF8, "application/json"),
            _ => JsonContent.Create(body),
        };
        if (Csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", Csrf);
        }

        return Client.SendAsync(request);
    }

    public override string ToString() => Name;

    public void Dispose() => Client.Dispose();
}
