namespace Tenants.Abstractions.Ledger;

/// <summary>Where an appended batch landed: leaf indices <see cref="FirstIndex"/> onwards, in order.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.ledger-append-result.v1")]
public sealed record LedgerAppendResult(
    [property: Id(0)] long FirstIndex,
    [property: Id(1)] int Accepted,
    [property: Id(2)] int Duplicates);
