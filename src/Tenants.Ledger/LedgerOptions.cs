using System.ComponentModel.DataAnnotations;

namespace Tenants.Ledger;

/// <summary>How ledger grains seal blocks and sign checkpoints.</summary>
public sealed class LedgerOptions
{
    public const string SectionName = "Ledger";

    /// <summary>
    /// Prefix of every tenant ledger's origin (the first line of its checkpoints); the tenant id is appended:
    /// <c>&lt;prefix&gt;/&lt;tenant-id&gt;</c>. Give each deployment its own.
    /// </summary>
    [Required]
    [RegularExpression(@"^[^\s+]+$")]
    public string OriginPrefix { get; set; } = "tenants.local/ledger";

    /// <summary>A block is sealed when it holds this many entries.</summary>
    [Range(1, 100_000)]
    public int MaxBlockEntries { get; set; } = 256;

    /// <summary>
    /// ...or when it holds this many bytes of entries (each with its line feed, before compression); a single larger
    /// entry still gets a block of its own.
    /// </summary>
    [Range(1_024, 256 << 20)]
    public int MaxBlockBytes { get; set; } = 4 << 20;

    /// <summary>...or when its oldest entry has waited this long.</summary>
    public TimeSpan MaxBlockDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Least time between two signed checkpoints of one ledger. Signing happens only when something was sealed since
    /// the last one, so an idle ledger costs no signatures.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many of the newest entries' event ids a ledger grain remembers to drop retried deliveries (rebuilt from the
    /// journal on activation). A retry of an event older than this would be appended again.
    /// </summary>
    [Range(1, 10_000_000)]
    public int DedupWindow { get; set; } = 65_536;

    /// <summary>
    /// Journaled entries a ledger grain holds unsealed (blocks cannot be written) before it refuses new appends with
    /// <c>LedgerUnavailableException</c>: bounds its memory during a storage outage.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxUnsealedEntries { get; set; } = 262_144;

    /// <summary>The origin of a tenant's ledger.</summary>
    public string OriginFor(string tenantId) => $"{OriginPrefix}/{tenantId}";
}
