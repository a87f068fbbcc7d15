using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenants.Api.Features.Endpoints;
using Tenants.Api.Features.Endpoints.Test;

namespace Tenants.Api.Hosting;

/// <summary>Registers what the endpoints and policies actions need beside FastEndpoints.</summary>
internal static class EndpointsApiServiceCollectionExtensions
{
    public static IServiceCollection AddEndpointsApi(this IServiceCollection services)
    {
        services.AddOptions<ApiProxyOptions>().BindConfiguration(ApiProxyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ConnectionTestOptions>().BindConfiguration(ConnectionTestOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ProxyAddress>();
        services.AddSingleton<EndpointOperations>();
        services.AddSingleton<ConnectionTester>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
