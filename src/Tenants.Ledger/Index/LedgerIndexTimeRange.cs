namespace Tenants.Ledger.Index;

/// <summary>The times of the oldest and newest matching events.</summary>
public sealed record LedgerIndexTimeRange(DateTimeOffset First, DateTimeOffset Last);
