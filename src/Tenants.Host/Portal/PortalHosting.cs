using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Tenants.Host.Portal;

/// <summary>
/// Serves the web portal: its hashed assets cached for a year, <c>index.html</c> never cached, and every other
/// browser path without a file extension (a deep link such as <c>/explorer?q=...</c>) answered with <c>index.html</c>
/// so the SPA routes it.
/// API, health, metrics, OpenAPI and well-known paths are never answered with the page.
/// </summary>
internal static partial class PortalHosting
{
    private static readonly string[] ServerPaths = ["/api", "/health", "/metrics", "/openapi", "/.well-known"];

    /// <summary>The portal's content security policy: its own scripts and styles only, no framing, API on the same origin.</summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseTenantsPortal(this WebApplication app)
    {
        var options = app.Configuration.GetSection(PortalOptions.SectionName).Get<PortalOptions>() ?? new();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PortalHosting).FullName!);
        var root = ResolveRoot(options, app.Environment.ContentRootPath);
        if (root is null)
        {
            LogPortalMissing(logger, options.Root ?? Path.Combine(app.Environment.ContentRootPath, "wwwroot"));
            return app;
        }

        LogPortalServed(logger, root);
        var files = new PhysicalFileProvider(root);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.CacheControl] = context.File.Name == "index.html"
                    ? "no-cache"
                    : context.Context.Request.Path.StartsWithSegments("/assets")
                        ? "public, max-age=31536000, immutable"
                        : "public, max-age=3600";
                if (context.File.Name.EndsWith(".html", StringComparison.Ordinal))
                {
                    AddPageHeaders(headers);
                }

                headers.XContentTypeOptions = "nosniff";
            },
        });
        // After the static files and before the endpoints: a browser path no endpoint and no file answered.
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            // A path with an extension is a file: a missing one is a 404, never the page in its place.
            if (context.GetEndpoint() is not null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                || IsServerPath(request.Path) || Path.HasExtension(request.Path.Value))
            {
                await next(context);
                return;
            }

            var index = files.GetFileInfo("index.html");
            var headers = context.Response.Headers;
            headers.ContentType = "text/html; charset=utf-8";
            headers.CacheControl = "no-cache";
            AddPageHeaders(headers);
            await context.Response.SendFileAsync(index, context.RequestAborted);
        });
        return app;
    }

    private static void AddPageHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
    }

    internal static bool IsServerPath(PathString path) =>
        Array.Exists(ServerPaths, prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    private static string? ResolveRoot(PortalOptions options, string contentRoot)
    {
        var root = string.IsNullOrWhiteSpace(options.Root)
            ? Path.Combine(contentRoot, "wwwroot")
            : Path.GetFullPath(options.Root, contentRoot);
        return File.Exists(Path.Combine(root, "index.html")) ? root : null;
    }

    [LoggerMessage(EventId = 9700, Level = LogLevel.Information, Message = "Serving the web portal from {Root}")]
    private static partial void LogPortalServed(ILogger logger, string root);

    [LoggerMessage(EventId = 9701, Level = LogLevel.Warning,
        Message = "No web portal at {Root} (no index.html): the API is served alone. Build it with 'npm --prefix ui run build' and set Portal:Root to ui/dist")]
    private static partial void LogPortalMissing(ILogger logger, string root);
}
