using System.ComponentModel.DataAnnotations;

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

    /// <summary>The default container name of export bundles.</summary>
    public const string DefaultExportContainerName = "ledger-exports";

    /// <summary>
    /// The container of export bundles made by export jobs (<c>tenants/&lt;tenantId&gt;/exports/&lt;id&gt;.tar</c>), in
    /// the same account. Not the ledger's container: bundles are copies, derived from the ledger, and may be deleted.
    /// </summary>
    public string ExportContainerName { get; set; } = DefaultExportContainerName;

    /// <summary>The default journal container name.</summary>
    public const string DefaultJournalContainerName = "ledger-journal";

    /// <summary>
    /// The container of the blob journal (<c>Ledger:Journal</c> = <c>Blob</c>), in the same account: a prefix per
    /// tenant, segments deleted once sealed. Not the ledger's container: in Azure it has no WORM policy, only a short
    /// lifecycle rule (infra/).
    /// </summary>
    public string JournalContainerName { get; set; } = DefaultJournalContainerName;

    /// <summary>
    /// A journal segment (append blob) is rolled to a new one before it holds this many appends. Azure allows 50,000
    /// blocks per append blob; the margin keeps a writer clear of it.
    /// </summary>
    [Range(1, 49_000)]
    public int JournalMaxAppendsPerSegment { get; set; } = 40_000;

    /// <summary>
    /// ...or before it grows past this many bytes (64 MiB). A writer that starts reads the last segment whole to find
    /// its tail, so this bounds that read.
    /// </summary>
    [Range(1024, int.MaxValue)]
    public int JournalMaxSegmentBytes { get; set; } = 64 << 20;

    /// <summary>
    /// The largest single append (4 MiB, the append block limit of service versions before 2022-11-02). A bigger batch
    /// is split across appends; one entry must fit one append.
    /// </summary>
    [Range(1024, 100 << 20)]
    public int JournalMaxAppendBytes { get; set; } = 4 << 20;
}
