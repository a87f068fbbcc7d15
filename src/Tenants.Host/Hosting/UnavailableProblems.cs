using System.Data.Common;
using Azure;
using Orleans.Runtime.Messaging;
using Tenants.Abstractions.Ledger;

namespace Tenants.Host.Hosting;

/// <summary>
/// Turns an API request that failed because a part of the platform is down (a ledger that cannot reach storage, a silo
/// lost in failover, the platform database, blob storage) into 503 with RFC 7807 problem details and
/// <c>Retry-After</c>, instead of a bare 500: the caller learns that retrying is the remedy, and which part is down.
/// Lives in the Host because only the Host references every adapter whose failures it names.
/// </summary>
internal static partial class UnavailableProblems
{
    private const int RetryAfterSeconds = 5;

    public static IApplicationBuilder UseUnavailableProblems(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && Unavailable(ex) is { } part)
        {
            LogUnavailable(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UnavailableProblems)), ex, context.Request.Path, part);
            context.Response.Clear();
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Service Unavailable",
                detail: $"{part} is unavailable right now; nothing was changed. Try again in a few seconds.").ExecuteAsync(context);
        }
    });

    /// <summary>The part of the platform <paramref name="exception"/> says is down; null for any other failure.</summary>
    internal static string? Unavailable(Exception exception) => exception switch
    {
        LedgerUnavailableException => "the tenant's ledger",
        SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException or TimeoutException => "the cluster",
        DbException => "the platform database",
        RequestFailedException { Status: 0 or >= 500 } or HttpRequestException => "blob storage",
        AggregateException { InnerExceptions.Count: > 0 } aggregate => aggregate.InnerExceptions.Select(Unavailable).Distinct().SingleOrDefault(p => p is not null),
        _ => null,
    };

    [LoggerMessage(EventId = 3100, EventName = "ApiDependencyUnavailable", Level = LogLevel.Warning,
        Message = "{Path}: {Part} is unavailable; answered 503")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string path, string part);
}
