namespace Tenants.Ledger.Bundles;

/// <summary>Which part of a ledger to export: checkpoint sizes, both optional.</summary>
/// <param name="FromSize">Start at this checkpoint (its note and the entries after it); 0 or <see langword="null"/> for the whole ledger.</param>
/// <param name="ToSize">End at this checkpoint; <see langword="null"/> for everything stored, including an unsigned tail.</param>
public sealed record LedgerBundleRange(long? FromSize = null, long? ToSize = null);
