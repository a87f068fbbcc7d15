using Tenants.Ledger.Merkle;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;

namespace Tenants.Ledger.Verification;

/// <summary>The state of one verification pass, walking blocks and checkpoints in leaf order.</summary>
internal sealed partial class LedgerVerificationRun
{
    private readonly ILedgerReader _store;
    private readonly IReadOnlyCollection<LedgerPublicKey> _trustedKeys;
    private readonly string _tenantId;
    private readonly string _origin;
    private readonly IReadOnlyList<long> _checkpoints;
    private readonly CompactRange _tree;
    private readonly List<LedgerProblem> _problems = [];
    private readonly List<string> _lines = [];
    private readonly List<PendingBlock> _pendingBlocks = [];
    private readonly LedgerVerificationOptions _options;
    private readonly int _blocksTotal;
    private readonly long _startSize;

    private int _nextCheckpoint;
    private long _position;
    private bool _treeIntact = true;
    private long _entriesChecked;
    private int _blocksChecked;
    private int _blocksValid;
    private LedgerBlockName? _previousBlock;

    public LedgerVerificationRun(
        ILedgerReader store,
        IReadOnlyCollection<LedgerPublicKey> trustedKeys,
        string tenantId,
        string origin,
        IReadOnlyList<long> checkpoints,
        LedgerVerificationOptions? options = null,
        int blocksTotal = 0)
    {
        _store = store;
        _trustedKeys = trustedKeys;
        _tenantId = tenantId;
        _origin = origin;
        _checkpoints = checkpoints;
        _options = options ?? new LedgerVerificationOptions();
        _tree = new CompactRange();
        _blocksTotal = blocksTotal;
        if (_options.Start is { } start)
        {
            // A partial ledger: the frontier is untrusted until the checkpoint at its size confirms its root.
            _tree = CompactRange.Restore(start.TreeSize, start.Frontier);
            _position = _startSize = start.TreeSize;
            _previousCheckpointSize = start.TreeSize;
            _anchorPending = true;
        }
    }

    /// <summary>Checks the next block in leaf order; <paramref name="prepared"/> reads it (ahead of time).</summary>
    public async Task CheckBlockAsync(LedgerBlockName name, Task<PreparedBlock> prepared, CancellationToken ct)
    {
        await CheckCompletedTilesAsync(ct).ConfigureAwait(false);
        await CheckCheckpointsUpToAsync(_position, ct).ConfigureAwait(false);
        _blocksChecked++;
        var pending = new PendingBlock(name);
        _pendingBlocks.Add(pending);

        var skip = 0;
        if (name.FirstIndex > _position)
        {
            var missing = new LedgerBlockName(_position, name.FirstIndex - 1);
            var reason = $"not found: no block holds leaves {missing.FirstIndex}-{missing.LastIndex}";
            AddProblem(missing.Path, _position, null, reason);
            Line(LeavesKind, missing.Path, Invalid(reason));
            BreakTree();
            _position = name.FirstIndex;
            await CheckCheckpointsUpToAsync(_position, ct).ConfigureAwait(false);
        }
        else if (name.FirstIndex < _position)
        {
            var previous = _previousBlock?.Path ?? "earlier blocks";
            Fail(pending, name.FirstIndex, null, $"overlap: leaves {name.FirstIndex}-{Math.Min(name.LastIndex, _position - 1)} are already held by {previous}");
            if (name.LastIndex < _position)
            {
                return;
            }

            skip = (int)(_position - name.FirstIndex);
        }

        _previousBlock = name;
        PreparedBlock block;
        try
        {
            block = await prepared.ConfigureAwait(false);
        }
        catch (LedgerBlockFormatException ex)
        {
            Fail(pending, name.FirstIndex, null, "invalid format: " + ex.Message);
            BreakTree();
            _position = name.LastIndex + 1;
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A blob that is there but cannot be decoded (not gzip, cut short) is malformed, not missing.
            var kind = ex is InvalidDataException or FormatException or EndOfStreamException ? "invalid format: " : "not found: ";
            Fail(pending, name.FirstIndex, null, kind + ex.Message);
            BreakTree();
            _position = name.LastIndex + 1;
            ReportProgress();
            return;
        }

        var declared = name.Count;
        var held = block.Block.Entries.Count;
        var usable = (int)Math.Min(declared, held);
        var badEntries = 0;
        for (var i = skip; i < usable; i++)
        {
            if (CheckpointOrTrustedSizeAt(_position))
            {
                await CheckCheckpointsUpToAsync(_position, ct).ConfigureAwait(false);
            }

            var error = CheckEntry(block.LeafIndices[i], block.Errors[i]);
            if (error is not null && badEntries++ == 0)
            {
                Fail(pending, _position, i + 1, error);
            }

            AppendLeaf(block.LeafHash(i));
            FoldSession(block, i, pending.Name.Path);
            _position++;
            _entriesChecked++;
        }

        if (badEntries > 1)
        {
            pending.Reasons.Add($"{badEntries - 1} more entries with the same kind of fault");
        }

        if (held != declared)
        {
            Fail(pending, name.FirstIndex, null, $"invalid format: the block name declares {declared} entries but the block holds {held}");
            if (held < declared)
            {
                BreakTree();
                _position = name.LastIndex + 1;
            }
        }

        ReportProgress();
    }

    public async Task FinishAsync(CancellationToken ct)
    {
        await CheckCheckpointsUpToAsync(_position, ct).ConfigureAwait(false);
        if (_nextCheckpoint < _checkpoints.Count)
        {
            var size = _checkpoints[^1];
            var missing = new LedgerBlockName(_position, size - 1);
            var reason = $"not found: {LedgerCheckpointName.Path(size)} signs {size} entries but only {_position} are present (truncated)";
            AddProblem(missing.Path, _position, null, reason);
            Line(LeavesKind, missing.Path, Invalid(reason));
            BreakTree();
            await CheckCheckpointsUpToAsync(long.MaxValue, ct).ConfigureAwait(false);
        }

        if (_treeIntact)
        {
            ReportSessionFaults(long.MaxValue);
        }

        ResolvePendingBlocks(long.MaxValue, signed: false);
        var signedSize = _checkpoints.Count > 0 ? _checkpoints[^1] : 0;
        if (_position > signedSize)
        {
            Line(InfoKind, new LedgerBlockName(signedSize, _position - 1).Path, $"unsigned tail: entries {signedSize}-{_position - 1} are not covered by a checkpoint yet");
        }

        CheckTrusted();
        await FinishTilesAsync(ct).ConfigureAwait(false);
    }

    public LedgerVerificationReport ToReport()
    {
        var valid = _problems.Count == 0;
        AddSummary();
        _lines.Add(valid ? $"VALID: {_problems.Count} problems" : $"INVALID: {_problems.Count} problem(s), the first at {_problems[0]}");
        return new LedgerVerificationReport(
            valid, _verifiedTreeSize, _entriesChecked, _blocksChecked, _checkpointsChecked, valid ? null : _problems[0], _problems, _lines)
        {
            NewestCheckpoint = _verifiedNote is null ? null : new LedgerTrustedCheckpoint(_origin, _verifiedTreeSize, _verifiedRoot!, _verifiedNote),
        };
    }

    private string? CheckEntry(long claimedIndex, string? headerError) =>
        headerError ?? (claimedIndex != _position
            ? $"entry says index {claimedIndex} but sits at leaf {_position}: entries reordered, inserted or removed"
            : null);

    private void Fail(PendingBlock block, long? leafIndex, int? line, string message)
    {
        block.Reasons.Add(line is null ? message : $"line {line}: {message}");
        AddProblem(block.Name.Path, leafIndex, line, message);
    }

    private void AddProblem(string location, long? leafIndex, int? line, string message) =>
        _problems.Add(new LedgerProblem(location, leafIndex, line, message));

    private void BreakTree()
    {
        _treeIntact = false;
        DropSessionFaults();
    }

    // Most leaves are neither a checkpoint's size nor the trusted size: skip the (async) checkpoint step for them.
    private bool CheckpointOrTrustedSizeAt(long size) =>
        (_nextCheckpoint < _checkpoints.Count && _checkpoints[_nextCheckpoint] <= size) || Trusted?.TreeSize == size;

    // A ledger verified from leaf 0 grows only the tile builder: it yields the tiles to compare with the stored ones
    // and, at each checkpoint, the compact range, for one node hash per leaf instead of two. A partial copy starts
    // from an untrusted frontier instead, and has no tiles to compare.
    private void AppendLeaf(ReadOnlySpan<byte> leafHash)
    {
        if (_startSize > 0)
        {
            _tree.Append(leafHash);
        }
        else
        {
            _tileBuilder.Append(leafHash);
        }
    }

    private byte[] CurrentRoot() => _startSize > 0 ? _tree.GetRootHash() : _tileBuilder.ToCompactRange().GetRootHash();

    // Emits the report lines of blocks whose last leaf is below treeSize.
    private void ResolvePendingBlocks(long treeSize, bool signed)
    {
        var resolved = _pendingBlocks.FindAll(b => b.Name.LastIndex < treeSize);
        foreach (var block in resolved)
        {
            if (block.Reasons.Count > 0)
            {
                Line(BlockKind, block.Name.Path, Invalid(string.Join("; ", block.Reasons)));
            }
            else
            {
                _blocksValid++;
                Line(BlockKind, block.Name.Path, signed || block.Name.LastIndex < _verifiedTreeSize
                    ? Valid
                    : Valid + " (entries well-formed; not covered by a verified checkpoint)");
            }

            _pendingBlocks.Remove(block);
        }
    }

    private sealed class PendingBlock(LedgerBlockName name)
    {
        public LedgerBlockName Name { get; } = name;

        public List<string> Reasons { get; } = [];
    }
}
