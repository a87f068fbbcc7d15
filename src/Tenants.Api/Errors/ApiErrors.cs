using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tenants.Api.Errors;

/// <summary>
/// Makes every error under <c>/api</c> (and <c>/.well-known</c>) RFC 7807 problem JSON: a body over
/// <see cref="ApiRequestOptions.MaxBodyBytes"/> is 413; an error the framework answers without a body (unknown route
/// 404, wrong method 405, unsupported media type 415) gets a problem body; an unhandled exception is 500 with a trace
/// id and nothing of the exception. Must run outside the Host's 503 mapping, which handles outages first.
/// </summary>
public static partial class ApiErrors
{
    public static IApplicationBuilder UseTenantsApiErrors(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (!IsApi(context.Request.Path))
            {
                await next(context);
                return;
            }

            var limit = context.RequestServices.GetRequiredService<IOptions<ApiRequestOptions>>().Value.MaxBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is over {limit} bytes.");
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                // Chunked bodies have no length up front: Kestrel stops reading at the limit and throws (413).
                size.MaxRequestBodySize = limit;
            }

            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                await WriteAsync(context, ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? $"The request body is over {limit} bytes." : "The request could not be read.");
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                LogUnhandled(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiErrors)), ex, context.Request.Method, context.Request.Path);
                await WriteAsync(context, StatusCodes.Status500InternalServerError, "An unexpected error occurred. Quote the traceId when reporting it.");
            }
        });
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            return IsApi(http.Request.Path) && http.Response.ContentType is null
                ? WriteAsync(http, http.Response.StatusCode, http.Response.StatusCode switch
                {
                    StatusCodes.Status404NotFound => $"There is no API resource at {http.Request.Path}.",
                    StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}.",
                    StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
                    _ => null,
                })
                : Task.CompletedTask;
        });
        return app;
    }

    private static bool IsApi(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/.well-known");

    private static Task WriteAsync(HttpContext context, int status, string? detail)
    {
        context.Response.Clear();
        return Results.Problem(
            statusCode: status,
            title: ReasonPhrases.GetReasonPhrase(status),
            detail: detail,
            extensions: new Dictionary<string, object?> { ["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier }).ExecuteAsync(context);
    }

    [LoggerMessage(EventId = 3550, EventName = "ApiUnhandledException", Level = LogLevel.Error,
        Message = "{Method} {Path}: unhandled exception; answered 500")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
