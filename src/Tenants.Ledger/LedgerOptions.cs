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

    /// <summary>...or when its oldest entry has waited this long.</summary>
    public TimeSpan MaxBlockDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Least time between two signed checkpoints of one ledger. Signing happens only when something was sealed since
    /// the last one, so an idle ledger costs no signatures.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The origin of a tenant's ledger.</summary>
    public string OriginFor(string tenantId) => $"{OriginPrefix}/{tenantId}";
}
