namespace Tenants.Ledger.Bundles;

/// <summary>
/// Extra files for the end of a bundle (after the ledger's own), made once the ledger files are written so that they
/// can list them with their hashes, e.g. an export's manifest of every file. <see cref="LedgerBundleStore"/> and
/// <c>tenants-verify</c> ignore files they do not know.
/// </summary>
/// <param name="written">The files written so far, in order.</param>
/// <returns>The files to add, in order: path and content.</returns>
public delegate IReadOnlyList<KeyValuePair<string, byte[]>> LedgerBundleAppendix(IReadOnlyList<LedgerBundleFile> written);
