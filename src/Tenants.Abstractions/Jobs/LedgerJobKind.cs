namespace Tenants.Abstractions.Jobs;

/// <summary>What a background ledger job does.</summary>
public enum LedgerJobKind
{
    /// <summary>A full verification of the tenant's ledger, as <c>tenants-verify</c> does it.</summary>
    Verification = 0,

    /// <summary>A compliance bundle of the events matching a query, written to blob storage.</summary>
    Export = 1,
}
