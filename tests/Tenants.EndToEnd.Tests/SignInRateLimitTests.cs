using System.Net;
using System.Net.Http.Json;

namespace Tenants.EndToEnd.Tests;

/// <summary>Sign-in is rate-limited per client address (<c>Api:SignIn:RateLimitPermits</c>): over the limit, 429 with Retry-After.</summary>
public sealed class SignInRateLimitTests
{
    [Fact]
    public async Task SignIn_OverThePermits_Is429ProblemWithRetryAfter()
    {
        await using var platform = await IsolatedPlatform.StartAsync("limit", (settings, _) => settings.Set("Api__SignIn__RateLimitPermits", "3"));
        await platform.StartHostAsync();
        using var client = new HttpClient { BaseAddress = platform.Host!.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await client.PostAsJsonAsync("/api/v1/session", new { email = "nobody@limit.example", password = $"wrong password {i}" });
            statuses.Add(attempt.StatusCode);
        }

        using var limited = await client.PostAsJsonAsync("/api/v1/session", new { email = "nobody@limit.example", password = "wrong password again" });

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(limited.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }
}
