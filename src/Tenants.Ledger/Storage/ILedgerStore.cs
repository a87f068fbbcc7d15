namespace Tenants.Ledger.Storage;

/// <summary>
/// Where a tenant's ledger lives. Every write is create-only: writing a name that already exists throws
/// <see cref="LedgerBlobExistsException"/>; nothing is ever overwritten or deleted.
/// </summary>
public interface ILedgerStore
{
    /// <summary>Writes a sealed block (entries <c>first..last</c>, one canonical line each).</summary>
    Task WriteBlockAsync(string tenantId, LedgerBlock block, CancellationToken cancellationToken = default);

    /// <summary>Writes a signed checkpoint note for the given tree size.</summary>
    Task WriteCheckpointAsync(string tenantId, long treeSize, string note, CancellationToken cancellationToken = default);

    /// <summary>Lists the tenant's blocks ordered by first leaf index.</summary>
    IAsyncEnumerable<LedgerBlockName> ListBlocksAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Reads a block's entries exactly as stored.</summary>
    Task<LedgerBlock> ReadBlockAsync(string tenantId, LedgerBlockName name, CancellationToken cancellationToken = default);

    /// <summary>Lists the tree sizes of the tenant's checkpoints in ascending order.</summary>
    IAsyncEnumerable<long> ListCheckpointsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Reads the checkpoint note written for <paramref name="treeSize"/>.</summary>
    Task<string> ReadCheckpointAsync(string tenantId, long treeSize, CancellationToken cancellationToken = default);
}
