using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Bundles;
using Tenants.Ledger.Storage;

namespace Tenants.Infrastructure.Hosting;

/// <summary>Registers the ledger's blob storage.</summary>
public static partial class LedgerStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BlobLedgerStore"/> as the <see cref="ILedgerStore"/>, with <see cref="BlobLedgerStoreOptions"/>
    /// bound from the <c>Ledger:Blob</c> section and validated at start-up.
    /// </summary>
    public static IServiceCollection AddBlobLedgerStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<BlobLedgerStoreOptions>()
            .Bind(configuration.GetSection(BlobLedgerStoreOptions.SectionName))
            .Validate(
                o => string.IsNullOrWhiteSpace(o.ConnectionString) != (o.ServiceUri is null),
                $"Set exactly one of {BlobLedgerStoreOptions.SectionName}:ConnectionString and {BlobLedgerStoreOptions.SectionName}:ServiceUri.")
            .Validate(
                o => ContainerName().IsMatch(o.ContainerName),
                $"{BlobLedgerStoreOptions.SectionName}:ContainerName must be 3-63 lower-case letters, digits and single hyphens.")
            .Validate(
                o => ContainerName().IsMatch(o.ExportContainerName),
                $"{BlobLedgerStoreOptions.SectionName}:ExportContainerName must be 3-63 lower-case letters, digits and single hyphens.")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<ILedgerStore, BlobLedgerStore>();
        services.TryAddSingleton<ILedgerReader>(provider => provider.GetRequiredService<ILedgerStore>());
        services.TryAddSingleton<ILedgerExportStore, BlobLedgerExportStore>();
        return services;
    }

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ContainerName();
}
