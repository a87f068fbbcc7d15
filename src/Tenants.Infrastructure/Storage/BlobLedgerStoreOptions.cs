namespace Tenants.Infrastructure.Storage;

/// <summary>
/// Where the ledger's blobs live (configuration section <c>Ledger:Blob</c>). Set exactly one of
/// <see cref="ConnectionString"/> (Azurite, or an account key in development) and <see cref="ServiceUri"/>
/// (Azure, authenticated with <c>DefaultAzureCredential</c>: managed identity in the cloud).
/// </summary>
public sealed class BlobLedgerStoreOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Ledger:Blob";

    /// <summary>The default container name.</summary>
    public const string DefaultContainerName = "ledger";

    /// <summary>A storage connection string. Meant for Azurite; in Azure use <see cref="ServiceUri"/> so no key is configured.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob service endpoint, e.g. <c>https://account.blob.core.windows.net</c>, used with <c>DefaultAzureCredential</c>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>
    /// The one container of this deployment; each tenant has its own prefix in it (<c>tenants/&lt;tenantId&gt;/</c>).
    /// Created at first use if missing. In Azure, infra/ gives it a time-based retention (WORM) policy.
    /// </summary>
    public string ContainerName { get; set; } = DefaultContainerName;
}
