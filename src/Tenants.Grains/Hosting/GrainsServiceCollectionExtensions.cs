using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenants.Ledger;

namespace Tenants.Grains.Hosting;

/// <summary>Registers what the grains need besides the ports (which the host wires to adapters).</summary>
public static class GrainsServiceCollectionExtensions
{
    public static IServiceCollection AddTenantsGrains(this IServiceCollection services)
    {
        services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
