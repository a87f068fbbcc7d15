namespace Tenants.Ledger.Verification;

/// <summary>How far a verification has come; reported after each block.</summary>
/// <param name="BlocksChecked">Blocks read so far.</param>
/// <param name="BlocksTotal">Blocks listed.</param>
/// <param name="EntriesChecked">Entries hashed so far.</param>
public readonly record struct LedgerVerificationProgress(int BlocksChecked, int BlocksTotal, long EntriesChecked);
