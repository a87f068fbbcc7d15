namespace Tenants.Ledger.Bundles;

/// <summary>A file written into a bundle, with the SHA-256 of its content (lower-case hex) and its length.</summary>
public sealed record LedgerBundleFile(string Path, string Sha256, long Length);
