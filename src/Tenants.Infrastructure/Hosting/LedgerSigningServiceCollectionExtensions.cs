using System.ComponentModel.DataAnnotations;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Infrastructure.Signing;
using Tenants.Ledger;
using Tenants.Ledger.Signing;

namespace Tenants.Infrastructure.Hosting;

/// <summary>Registers the checkpoint signer.</summary>
public static class LedgerSigningServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="ILedgerSigner"/> chosen by <c>Ledger:Signing:Provider</c> (<see cref="LedgerSigningOptions"/>,
    /// validated at start): a local key file by default, or an Azure Key Vault key authenticated with
    /// <c>DefaultAzureCredential</c> (optionally a user-assigned managed identity). The key name on signature lines is
    /// <see cref="LedgerOptions.OriginPrefix"/>. The signer is created, and a Key Vault key resolved, when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="contentRootPath">Base of relative key file paths.</param>
    /// <param name="createAtStart">
    /// Create the signer (and resolve a Key Vault key) when the host starts; <see langword="false"/> on nodes that never
    /// sign or publish keys (edge-only), which then need no key and no vault access.
    /// </param>
    public static IServiceCollection AddLedgerSigner(this IServiceCollection services, string contentRootPath, bool createAtStart = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(contentRootPath);

        services.AddOptions<LedgerSigningOptions>()
            .BindConfiguration(LedgerSigningOptions.SectionName)
            .Validate(
                o => o.Provider != LedgerSigningProvider.Local || !string.IsNullOrWhiteSpace(o.KeyFile),
                $"{LedgerSigningOptions.SectionName}:KeyFile is required when {LedgerSigningOptions.SectionName}:Provider is Local.")
            .Validate(
                o => o.Provider != LedgerSigningProvider.KeyVault || IsValid(o.KeyVault),
                $"{LedgerSigningOptions.SectionName}:Provider is KeyVault: set {KeyVaultSigningOptions.SectionName}:VaultUri (https://<vault>.vault.azure.net/) "
                + $"and {KeyVaultSigningOptions.SectionName}:KeyName (letters, digits and hyphens; KeyVersion, if set, letters and digits).")
            .ValidateOnStart();
        services.TryAddSingleton<ILedgerSigner>(sp => Create(sp, contentRootPath));
        if (createAtStart)
        {
            services.AddHostedService<LedgerSignerStartup>();
        }

        return services;
    }

    private static ILedgerSigner Create(IServiceProvider services, string contentRootPath)
    {
        var signing = services.GetRequiredService<IOptions<LedgerSigningOptions>>().Value;
        var keyName = services.GetRequiredService<IOptions<LedgerOptions>>().Value.OriginPrefix;
        if (signing.Provider == LedgerSigningProvider.KeyVault)
        {
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(signing.KeyVault.ManagedIdentityClientId) ? null : signing.KeyVault.ManagedIdentityClientId,
            });
            return new KeyVaultLedgerSigner(
                signing.KeyVault, keyName, credential, new KeyVaultClientOptions(),
                services.GetService<ILogger<KeyVaultLedgerSigner>>(), services.GetService<TimeProvider>());
        }

        return new LocalLedgerSigner(
            Path.GetFullPath(signing.KeyFile, contentRootPath),
            keyName,
            signing.PreviousPublicKeyFiles.Select(path => Path.GetFullPath(path, contentRootPath)));
    }

    private static bool IsValid(KeyVaultSigningOptions options) =>
        Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true)
        && options.VaultUri is { IsAbsoluteUri: true, Scheme: "https" }
        && options.KeyListRefreshInterval > TimeSpan.Zero;
}
