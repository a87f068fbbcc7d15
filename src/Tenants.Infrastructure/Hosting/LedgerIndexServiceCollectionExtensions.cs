using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenants.Infrastructure.Index;
using Tenants.Ledger.Index;

namespace Tenants.Infrastructure.Hosting;

/// <summary>Registers the PostgreSQL search index.</summary>
public static class LedgerIndexServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresLedgerIndex"/> as the <see cref="ILedgerIndexReader"/> and <see cref="ILedgerIndexWriter"/>,
    /// over the <see cref="Npgsql.NpgsqlDataSource"/> the host registers.
    /// </summary>
    public static IServiceCollection AddPostgresLedgerIndex(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<PostgresLedgerIndex>();
        services.TryAddSingleton<ILedgerIndexReader>(provider => provider.GetRequiredService<PostgresLedgerIndex>());
        services.TryAddSingleton<ILedgerIndexWriter>(provider => provider.GetRequiredService<PostgresLedgerIndex>());
        return services;
    }
}
