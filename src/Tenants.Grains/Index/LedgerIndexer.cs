using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Grains.Sessions;
using Tenants.Ledger;
using Tenants.Ledger.Index;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Index;

/// <summary>
/// Writes sealed blocks into the search index. The ledger is the truth: a block is indexed only once it is durable,
/// each tenant's cursor says how many leading entries are indexed, and anything the cursor has not reached is read
/// back from storage. Safe to run on several nodes at once (rows and cursors are idempotent).
/// </summary>
public sealed partial class LedgerIndexer
{
    private readonly ILedgerReader _store;
    private readonly ILedgerIndexWriter _index;
    private readonly LedgerOptions _options;
    private readonly int _maxBatchEntries;
    private readonly ILogger<LedgerIndexer> _logger;
    private readonly SessionFeeder? _sessions;

    // What this node last saw of each cursor, to spare a database round trip per block. It may be behind (another
    // node moved the cursor on) or ahead (a rebuild cleared it); the database's answer replaces it after every write.
    private readonly ConcurrentDictionary<string, long> _cursors = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates an indexer reading <paramref name="store"/> and writing <paramref name="index"/>; with
    /// <paramref name="sessions"/> (in a silo) it also feeds each block's sessions to their session grains.
    /// </summary>
    public LedgerIndexer(
        ILedgerReader store,
        ILedgerIndexWriter index,
        IOptions<LedgerOptions> options,
        IOptions<LedgerIndexOptions> indexOptions,
        ILogger<LedgerIndexer> logger,
        SessionFeeder? sessions = null)
    {
        _sessions = sessions;
        _store = store;
        _index = index;
        _options = options.Value;
        _maxBatchEntries = indexOptions.Value.MaxBatchEntries;
        _logger = logger;
    }

    /// <summary>
    /// Indexes a block that has just been sealed (its blob is written). When the index is behind the block, the
    /// missing blocks are read from storage first.
    /// </summary>
    /// <returns>The tenant's cursor afterwards.</returns>
    public Task<long> IndexBlockAsync(string tenantId, LedgerBlock block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        return IndexBlocksAsync(tenantId, [block], cancellationToken);
    }

    /// <summary>
    /// Indexes blocks that have just been sealed, in leaf order, in as few index transactions as
    /// <see cref="LedgerIndexOptions.MaxBatchEntries"/> allows, feeding each session of a transaction's blocks once
    /// (one state write per session instead of one per block). When the index is behind the first block, or the blocks
    /// leave a hole, what is missing is read from storage.
    /// </summary>
    /// <returns>The tenant's cursor afterwards.</returns>
    public async Task<long> IndexBlocksAsync(string tenantId, IReadOnlyList<LedgerBlock> blocks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var cursor = await CursorAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var run = new List<LedgerBlock>();
        var runEntries = 0;
        foreach (var block in blocks)
        {
            var next = run.Count == 0 ? cursor : run[^1].Name.LastIndex + 1;
            if (block.Name.LastIndex < next)
            {
                continue;
            }

            if (block.Name.FirstIndex > next)
            {
                // A hole (blocks the queue dropped, or the database's cursor behind this node's): storage has it all.
                return await CatchUpAsync(tenantId, cancellationToken).ConfigureAwait(false);
            }

            if (run.Count > 0 && runEntries + block.Entries.Count > _maxBatchEntries)
            {
                if (!await AddRunAsync(run))
                {
                    return await CatchUpAsync(tenantId, cancellationToken).ConfigureAwait(false);
                }

                run.Clear();
                runEntries = 0;
            }

            run.Add(block);
            runEntries += block.Entries.Count;
        }

        if (run.Count > 0 && !await AddRunAsync(run))
        {
            return await CatchUpAsync(tenantId, cancellationToken).ConfigureAwait(false);
        }

        return cursor;

        // False when the database's cursor was behind what this node believed: the caller fills the gap from storage.
        async Task<bool> AddRunAsync(List<LedgerBlock> run)
        {
            cursor = await AddBlocksAsync(tenantId, run, cursor, cancellationToken).ConfigureAwait(false);
            return cursor > run[^1].Name.LastIndex;
        }
    }

    /// <summary>Indexes every sealed block of the tenant past its cursor, in leaf order.</summary>
    /// <returns>The tenant's cursor afterwards.</returns>
    public Task<long> CatchUpAsync(string tenantId, CancellationToken cancellationToken = default) =>
        CatchUpAsync(tenantId, progress: null, cancellationToken);

    /// <summary>
    /// Throws away the tenant's rows and cursor and indexes every block again from storage, reporting after each block.
    /// </summary>
    /// <returns>The tenant's cursor afterwards: the number of entries in its sealed blocks.</returns>
    public async Task<long> RebuildAsync(string tenantId, IProgress<LedgerIndexProgress>? progress, CancellationToken cancellationToken = default)
    {
        _cursors.TryRemove(tenantId, out _);
        await _index.ClearAsync(tenantId, cancellationToken).ConfigureAwait(false);
        LogRebuildStarted(tenantId);
        return await CatchUpAsync(tenantId, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets what this node knows of the tenant's cursor, so that the next call reads it again.</summary>
    public void Forget(string tenantId) => _cursors.TryRemove(tenantId, out _);

    private async Task<long> CatchUpAsync(string tenantId, IProgress<LedgerIndexProgress>? progress, CancellationToken cancellationToken)
    {
        var cursor = await _index.GetIndexedSizeAsync(tenantId, cancellationToken).ConfigureAwait(false);
        _cursors[tenantId] = cursor;
        var blocks = new List<LedgerBlockName>();
        await foreach (var name in _store.ListBlocksAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            if (name.LastIndex >= cursor)
            {
                blocks.Add(name);
            }
        }

        var ledgerSize = blocks.Count == 0 ? cursor : blocks[^1].LastIndex + 1;
        var run = new List<LedgerBlock>();
        var runEntries = 0L;
        for (var b = 0; b < blocks.Count; b++)
        {
            var name = blocks[b];
            var next = run.Count == 0 ? cursor : run[^1].Name.LastIndex + 1;
            if (name.FirstIndex > next)
            {
                // Blocks are written in order, so a hole is damage (or a listing that raced a seal): the verifier
                // reports it; the cursor stays before it so nothing after it is claimed as indexed.
                LogGap(tenantId, next, name.FirstIndex);
                break;
            }

            var block = await _store.ReadBlockAsync(tenantId, name, cancellationToken).ConfigureAwait(false);
            run.Add(block);
            runEntries += name.LastIndex - Math.Max(next, name.FirstIndex) + 1;
            if (runEntries >= _maxBatchEntries || b == blocks.Count - 1 || blocks[b + 1].FirstIndex != name.LastIndex + 1)
            {
                cursor = await AddBlocksAsync(tenantId, run, cursor, cancellationToken).ConfigureAwait(false);
                run.Clear();
                runEntries = 0;
                progress?.Report(new LedgerIndexProgress(tenantId, cursor, ledgerSize, b + 1, blocks.Count));
            }
        }

        if (run.Count > 0)
        {
            cursor = await AddBlocksAsync(tenantId, run, cursor, cancellationToken).ConfigureAwait(false);
        }

        return cursor;
    }

    // Consecutive blocks in one index transaction: rows from the cursor on, the sessions fed once, then rows and cursor.
    private async Task<long> AddBlocksAsync(string tenantId, List<LedgerBlock> blocks, long cursor, CancellationToken cancellationToken)
    {
        var from = Math.Max(cursor, blocks[0].Name.FirstIndex);
        var origin = _options.OriginFor(tenantId);
        var events = _sessions is null ? null : new List<IndexedEvent>();
        var rows = new List<LedgerIndexRow>();
        foreach (var block in blocks)
        {
            rows.AddRange(LedgerIndexRows.FromBlock(block, tenantId, origin, from, events, out var skipped));
            if (skipped > 0)
            {
                LogEntriesSkipped(tenantId, block.Name.FirstIndex, block.Name.LastIndex, skipped);
            }
        }

        try
        {
            if (_sessions is not null && events is { Count: > 0 })
            {
                // Before the cursor moves: the cursor is the only durable record of progress, so a feed that fails
                // (or a crash right after it) is retried with the blocks, and session grains drop what they hold.
                await _sessions.FeedAsync(tenantId, events, cancellationToken).ConfigureAwait(false);
            }

            var after = await _index.AddAsync(tenantId, rows, from, blocks[^1].Name.LastIndex + 1, cancellationToken).ConfigureAwait(false);
            _cursors[tenantId] = after;
            return after;
        }
        catch
        {
            _cursors.TryRemove(tenantId, out _);
            throw;
        }
    }

    private async Task<long> CursorAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_cursors.TryGetValue(tenantId, out var cursor))
        {
            return cursor;
        }

        cursor = await _index.GetIndexedSizeAsync(tenantId, cancellationToken).ConfigureAwait(false);
        _cursors[tenantId] = cursor;
        return cursor;
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning,
        Message = "Index of tenant {TenantId} stops at leaf {Cursor}: the next sealed block starts at {NextFirst}")]
    private partial void LogGap(string tenantId, long cursor, long nextFirst);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "Index of tenant {TenantId} left out {Skipped} unreadable or foreign entries of block {First}-{Last}; run the verifier")]
    private partial void LogEntriesSkipped(string tenantId, long first, long last, int skipped);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Rebuilding the index of tenant {TenantId} from its blocks")]
    private partial void LogRebuildStarted(string tenantId);
}
