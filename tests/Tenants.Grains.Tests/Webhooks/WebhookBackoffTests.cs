using System.Net.Http.Headers;
using Tenants.Grains.Webhooks;

namespace Tenants.Grains.Tests.Webhooks;

public sealed class WebhookBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(30);

    [Fact]
    public void Delay_DefaultsOverEightAttempts_DoubleWithJitterAndSpanAboutAnHour()
    {
        var lowest = Enumerable.Range(1, 7).Select(n => WebhookBackoff.Delay(n, Base, Max, 0)).ToList();
        var highest = Enumerable.Range(1, 7).Select(n => WebhookBackoff.Delay(n, Base, Max, 1)).ToList();

        Assert.Equal([30, 60, 120, 240, 480, 960, 1800], highest.Select(d => d.TotalSeconds));
        Assert.Equal([15, 30, 60, 120, 240, 480, 900], lowest.Select(d => d.TotalSeconds));
        Assert.InRange(highest.Sum(d => d.TotalMinutes), 55, 65); // the seven waits between eight attempts
        Assert.Equal(Max, WebhookBackoff.Delay(40, Base, Max, 1));
    }

    [Fact]
    public void RetryAfter_SecondsOrDate_IsHonouredUpToTheMax()
    {
        var now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(TimeSpan.FromSeconds(120), WebhookBackoff.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromSeconds(120)), now, Max));
        Assert.Equal(TimeSpan.FromMinutes(5), WebhookBackoff.RetryAfter(new RetryConditionHeaderValue(now.AddMinutes(5)), now, Max));
        Assert.Equal(Max, WebhookBackoff.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromDays(2)), now, Max));
        Assert.Equal(TimeSpan.Zero, WebhookBackoff.RetryAfter(new RetryConditionHeaderValue(now.AddMinutes(-5)), now, Max));
        Assert.Null(WebhookBackoff.RetryAfter(null, now, Max));
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    [InlineData(410, false)]
    public void IsRetryable_Status_OnlyTimeoutsThrottlingAndServerErrors(int status, bool retryable) =>
        Assert.Equal(retryable, WebhookBackoff.IsRetryable(status));
}
