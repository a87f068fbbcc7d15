using FastEndpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Serialization;
using Scalar.AspNetCore;
using Tenants.Api.Errors;
using Tenants.Api.Features.Events;
using Tenants.Api.OpenApi;
using Tenants.Api.Security;
using Tenants.Ledger;

namespace Tenants.Api.Hosting;

/// <summary>Registers and maps the REST API.</summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddTenantsApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateOnStart();
        services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.SectionName).ValidateDataAnnotations();
        services.AddTenantsAuthentication();
        services.AddAuthorization(o =>
        {
            foreach (var permission in ApiPermissions.All)
            {
                o.AddPolicy(permission, p => p.RequireClaim(ApiPermissions.ClaimType, permission));
            }
        });
        services.AddSingleton<LedgerEventReader>();
        // Resolved only where the host has registered an ILedgerIndexReader (a node with PostgreSQL).
        services.AddSingleton<IndexedEventReader>();
        services.AddEndpointsApi();
        services.AddOptions<ApiRequestOptions>().BindConfiguration(ApiRequestOptions.SectionName)
            .Validate(o => o.MaxBodyBytes > 0, "Api:Requests:MaxBodyBytes must be positive.").ValidateOnStart();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer<FastEndpointsDocumentTransformer>());
        services.AddFastEndpoints(o =>
        {
            o.Assemblies = [typeof(ApiServiceCollectionExtensions).Assembly];
            o.DisableAutoDiscovery = true;
        });
        return services;
    }

    public static WebApplication MapTenantsApi(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseTenantsAccounts();
        app.UseAuthorization();
        app.UseFastEndpoints(c =>
        {
            c.Errors.UseProblemDetails();
            c.Security.PermissionsClaimType = ApiPermissions.ClaimType;
            // Request bodies with fields the API does not know are refused (400), not silently half-read.
            c.Serializer.Options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/api/reference", o => o.WithTitle("Tenants API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        return app;
    }
}
