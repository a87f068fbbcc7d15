namespace Tenants.Grains.Index;

/// <summary>Where a catch-up or rebuild has got to.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="IndexedSize">Entries indexed so far (the cursor).</param>
/// <param name="LedgerSize">Entries in the sealed blocks the run found when it started.</param>
/// <param name="Blocks">Blocks done.</param>
/// <param name="TotalBlocks">Blocks to do.</param>
public readonly record struct LedgerIndexProgress(string TenantId, long IndexedSize, long LedgerSize, int Blocks, int TotalBlocks);
