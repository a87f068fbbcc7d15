using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tenants.Api.Security;

namespace Tenants.Api.Hosting;

/// <summary>Authentication (keys and the portal's cookie session), CSRF checks, rate limits and body-size problems.</summary>
public static class AccountsServiceCollectionExtensions
{
    /// <summary>The rate-limit policy of the anonymous account endpoints (sign-up, sign-in, invitation acceptance).</summary>
    public const string SignInRateLimit = "sign-in";

    public static IServiceCollection AddTenantsAuthentication(this IServiceCollection services)
    {
        services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.SectionName)
            .Validate(o => o.SessionLifetime > TimeSpan.Zero && o.RateLimitPermits > 0 && o.RateLimitWindow > TimeSpan.Zero && o.InvitationLifetime > TimeSpan.Zero,
                "Api:SignIn:SessionLifetime, RateLimitPermits, RateLimitWindow and InvitationLifetime must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SessionCookieEvents>();
        services.AddAuthentication(TenantAuthentication.Scheme)
            .AddPolicyScheme(TenantAuthentication.Scheme, "API key or session", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? ApiKeyAuthenticationHandler.SchemeName : TenantAuthentication.CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(TenantAuthentication.CookieScheme, _ => { });
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(TenantAuthentication.CookieScheme)
            .Configure<IOptions<SignInOptions>>((o, signIn) =>
            {
                o.Cookie = new SessionCookieBuilder();
                o.ExpireTimeSpan = signIn.Value.SessionLifetime;
                o.SlidingExpiration = true;
                o.EventsType = typeof(SessionCookieEvents);
            });
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(SignInRateLimit, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<SignInOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.RateLimitPermits, Window = options.RateLimitWindow, QueueLimit = 0 });
            });
            o.OnRejected = async (context, ct) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"Too many sign-up, sign-in or invitation attempts from this address; try again in {seconds} seconds.");
            };
        });
        return services;
    }

    /// <summary>Goes right after <c>UseAuthentication</c>: oversized bodies as 413 problems, rate limits, the CSRF check.</summary>
    public static IApplicationBuilder UseTenantsAccounts(this IApplicationBuilder app)
    {
        app.Use(RequestBodyProblems.CatchAsync);
        app.UseRateLimiter();
        app.Use(SessionCsrf.CheckAsync);
        return app;
    }
}
