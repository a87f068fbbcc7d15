using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenants.Grains.Index;
using Tenants.Grains.Sessions;

namespace Tenants.Grains.Hosting;

/// <summary>Registers the search indexer; the host supplies the index itself (<c>ILedgerIndexWriter</c>).</summary>
public static class LedgerIndexingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LedgerIndexer"/> alone, for one-off runs (the <c>index rebuild</c> command).
    /// </summary>
    public static IServiceCollection AddTenantsLedgerIndexer(this IServiceCollection services)
    {
        services.AddOptions<LedgerIndexOptions>().BindConfiguration(LedgerIndexOptions.SectionName);
        services.TryAddSingleton<LedgerIndexer>();
        return services;
    }

    /// <summary>
    /// Registers the indexer and the background service that feeds it the blocks ledger grains seal on this node, and
    /// the session feed (which needs the silo's grain factory).
    /// </summary>
    public static IServiceCollection AddTenantsLedgerIndexing(this IServiceCollection services)
    {
        services.AddTenantsLedgerIndexer();
        services.TryAddSingleton<SessionFeeder>();
        services.TryAddSingleton<LedgerIndexQueue>();
        services.AddHostedService<LedgerIndexService>();
        return services;
    }
}
