using Tenants.Ledger.Entries;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;

namespace Tenants.Ledger.Verification;

/// <summary>The state of one verification pass, walking blocks and checkpoints in leaf order.</summary>
internal sealed partial class LedgerVerificationRun
{
    private readonly ILedgerStore _store;
    private readonly IReadOnlyCollection<LedgerPublicKey> _trustedKeys;
    private readonly string _tenantId;
    private readonly string _origin;
    private readonly IReadOnlyList<long> _checkpoints;
    private readonly CompactRange _tree = new();
    private readonly List<LedgerProblem> _problems = [];
    private readonly List<string> _lines = [];
    private readonly List<PendingBlock> _pendingBlocks = [];

    private int _nextCheckpoint;
    private long _position;
    private bool _treeIntact = true;
    private long _entriesChecked;
    private int _blocksChecked;
    private int _blocksValid;
    private LedgerBlockName? _previousBlock;

    public LedgerVerificationRun(
        ILedgerStore store, IReadOnlyCollection<LedgerPublicKey> trustedKeys, string tenantId, string origin, IReadOnlyList<long> checkpoints)
    {
        _store = store;
        _trustedKeys = trustedKeys;
        _tenantId = tenantId;
        _origin = origin;
        _checkpoints = checkpoints;
    }

    public async Task CheckBlockAsync(LedgerBlockName name, CancellationToken ct)
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
            AddProblem(missing.Path, _position, null, $"not found: no block holds leaves {missing.FirstIndex}-{missing.LastIndex}");
            _lines.Add($"INVALID {missing.Path}: not found");
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
        LedgerBlock block;
        try
        {
            block = await _store.ReadBlockAsync(_tenantId, name, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail(pending, name.FirstIndex, null, "not found: " + ex.Message);
            BreakTree();
            _position = name.LastIndex + 1;
            return;
        }

        var declared = name.Count;
        var held = block.Entries.Count;
        var usable = (int)Math.Min(declared, held);
        var badEntries = 0;
        var leafHash = new byte[Rfc6962Hasher.HashSize];
        for (var i = skip; i < usable; i++)
        {
            await CheckCheckpointsUpToAsync(_position, ct).ConfigureAwait(false);
            var entry = block.Entries[i].Span;
            var error = CheckEntry(entry);
            if (error is not null && badEntries++ == 0)
            {
                Fail(pending, _position, i + 1, error);
            }

            Rfc6962Hasher.HashLeaf(entry, leafHash);
            _tree.Append(leafHash);
            _tileBuilder.Append(leafHash);
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
    }

    public async Task FinishAsync(CancellationToken ct)
    {
        await CheckCheckpointsUpToAsync(_position, ct).ConfigureAwait(false);
        if (_nextCheckpoint < _checkpoints.Count)
        {
            var size = _checkpoints[^1];
            var missing = new LedgerBlockName(_position, size - 1);
            AddProblem(
                missing.Path,
                _position,
                null,
                $"not found: {LedgerCheckpointName.Path(size)} signs {size} entries but only {_position} are present (truncated)");
            _lines.Add($"INVALID {missing.Path}: not found (truncated)");
            BreakTree();
            await CheckCheckpointsUpToAsync(long.MaxValue, ct).ConfigureAwait(false);
        }

        ResolvePendingBlocks(long.MaxValue, signed: false);
        var signedSize = _checkpoints.Count > 0 ? _checkpoints[^1] : 0;
        if (_position > signedSize)
        {
            _lines.Add($"WARNING unsigned tail: entries {signedSize}-{_position - 1} are not covered by a checkpoint yet");
        }

        await FinishTilesAsync(ct).ConfigureAwait(false);
    }

    public LedgerVerificationReport ToReport()
    {
        var valid = _problems.Count == 0;
        _lines.Add(
            $"{(valid ? "VALID" : "INVALID")}: {_blocksValid}/{_blocksChecked} blocks valid, "
            + $"{_checkpointsValid}/{_checkpointsChecked} checkpoints valid, {_entriesChecked} entries checked, "
            + $"signed tree size {_verifiedTreeSize}, {_problems.Count} problem(s)");
        return new LedgerVerificationReport(
            valid, _verifiedTreeSize, _entriesChecked, _blocksChecked, _checkpointsChecked, valid ? null : _problems[0], _problems, _lines);
    }

    private string? CheckEntry(ReadOnlySpan<byte> entry)
    {
        if (!LedgerEntryReader.TryReadHeader(entry, out var header, out var error))
        {
            return "invalid format: " + error;
        }

        if (header.Origin != _origin)
        {
            return $"has been moved from its original location: entry origin is '{header.Origin}'";
        }

        if (header.TenantId != _tenantId)
        {
            return $"has been moved from its original location: entry belongs to tenant '{header.TenantId}'";
        }

        return header.LeafIndex != _position
            ? $"entry says index {header.LeafIndex} but sits at leaf {_position}: entries reordered, inserted or removed"
            : null;
    }

    private void Fail(PendingBlock block, long? leafIndex, int? line, string message)
    {
        block.Reasons.Add(line is null ? message : $"line {line}: {message}");
        AddProblem(block.Name.Path, leafIndex, line, message);
    }

    private void AddProblem(string location, long? leafIndex, int? line, string message) =>
        _problems.Add(new LedgerProblem(location, leafIndex, line, message));

    private void BreakTree() => _treeIntact = false;

    // Emits the report lines of blocks whose last leaf is below treeSize.
    private void ResolvePendingBlocks(long treeSize, bool signed)
    {
        var resolved = _pendingBlocks.FindAll(b => b.Name.LastIndex < treeSize);
        foreach (var block in resolved)
        {
            if (block.Reasons.Count > 0)
            {
                _lines.Add($"INVALID {block.Name.Path}: {string.Join("; ", block.Reasons)}");
            }
            else
            {
                _blocksValid++;
                _lines.Add(signed || block.Name.LastIndex < _verifiedTreeSize
                    ? $"VALID {block.Name.Path}"
                    : $"VALID {block.Name.Path} (entries well-formed; not covered by a verified checkpoint)");
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
