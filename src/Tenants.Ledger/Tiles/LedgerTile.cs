namespace Tenants.Ledger.Tiles;

/// <summary>A hash tile and its content: <see cref="LedgerTileName.Width"/> hashes of 32 bytes, concatenated.</summary>
public sealed record LedgerTile(LedgerTileName Name, ReadOnlyMemory<byte> Content);
