using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tenants.Edge.Audit;
using Tenants.Edge.Broker;
using Tenants.Edge.Endpoints;
using Tenants.Edge.Policy;
using Tenants.Edge.Proxy;
using Tenants.Edge.Tls;

namespace Tenants.Edge.Hosting;

/// <summary>Registers the edge role: PostgreSQL listeners on Kestrel, endpoint resolution and audit delivery.</summary>
public static class EdgeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the edge proxy. Needs an <see cref="IGrainFactory"/> (a silo or an Orleans client) for audit delivery, for
    /// endpoints from the global endpoint directory (found after the configured ones) and for brokered sign-ins; and a
    /// <c>CredentialProtector</c>, when one is registered, to open brokered endpoints' sealed passwords.
    /// </summary>
    public static IServiceCollection AddTenantsEdge(this IServiceCollection services)
    {
        // Before the core's TryAdd of the provider without grains, so the grains' one is used.
        services.TryAddSingleton<IEdgePolicyProvider, GrainEdgePolicyProvider>();
        services.AddTenantsEdgeCore();
        services.AddMetrics();
        services.TryAddSingleton<IEndpointCatalog, GrainEndpointCatalog>();
        services.TryAddSingleton<IPersonAuthenticator, GrainPersonAuthenticator>();
        services.AddSingleton<AuditEventSink>();
        services.AddSingleton<IAuditEventSink>(sp => sp.GetRequiredService<AuditEventSink>());
        services.AddHostedService(sp => sp.GetRequiredService<AuditEventSink>());
        return services;
    }

    /// <summary>
    /// Adds the edge proxy without audit delivery: options, endpoint resolution, cancel routing and the Kestrel
    /// listeners. The caller registers the <see cref="IAuditEventSink"/> (<see cref="AddTenantsEdge"/> adds the one that
    /// delivers to the ledger grains; tests add one that records).
    /// </summary>
    public static IServiceCollection AddTenantsEdgeCore(this IServiceCollection services)
    {
        services.AddOptions<EdgeOptions>().BindConfiguration(EdgeOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EdgeOptions>, EdgeOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EndpointDirectory>();
        services.AddSingleton<EndpointResolver>();
        services.AddSingleton<CancelKeyRegistry>();
        services.AddSingleton<EndpointConnectionLimiter>();
        services.AddSingleton<EdgeCertificates>();
        services.TryAddSingleton<IEdgePolicyProvider, NoEdgePolicyProvider>();
        services.AddSingleton<PolicySessionLimiter>();
        services.AddSingleton<PgProxyConnectionHandler>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, EdgeKestrelSetup>();
        return services;
    }
}
