using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Storage;

namespace Tenants.Ledger.Verification;

/// <summary>Checkpoint checks: signature, location, origin, chain, range and root.</summary>
internal sealed partial class LedgerVerificationRun
{
    private string? _previousNote;
    private bool _previousNoteKnown = true;
    private long _previousCheckpointSize;
    private long _verifiedTreeSize;
    private int _checkpointsChecked;
    private int _checkpointsValid;
    private int _checkpointsInvalid;
    private string? _verifiedNote;
    private byte[]? _verifiedRoot;
    private DateTimeOffset? _verifiedTime;
    private bool _anchorPending;

    // Checks every listed checkpoint whose size is at most treeSize; roots are compared only at exactly _position.
    private async Task CheckCheckpointsUpToAsync(long treeSize, CancellationToken ct)
    {
        CaptureTrustedRoot();
        while (_nextCheckpoint < _checkpoints.Count && _checkpoints[_nextCheckpoint] <= treeSize)
        {
            await CheckCheckpointAsync(_checkpoints[_nextCheckpoint], ct).ConfigureAwait(false);
            _nextCheckpoint++;
        }
    }

    private async Task CheckCheckpointAsync(long size, CancellationToken ct)
    {
        _checkpointsChecked++;
        var location = LedgerCheckpointName.Path(size);
        string note;
        try
        {
            note = await _store.ReadCheckpointAsync(_tenantId, size, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AddProblem(location, null, null, "not found: " + ex.Message);
            Line(CheckpointKind, location, Invalid("not found"));
            _checkpointsInvalid++;
            _previousNoteKnown = false;
            _previousCheckpointSize = size;
            return;
        }

        var reasons = new List<string>();
        if (!CheckpointNote.TryOpen(note, _trustedKeys, out var checkpoint, out var error))
        {
            reasons.Add(error!.StartsWith("invalid format", StringComparison.Ordinal) || error.StartsWith("public key", StringComparison.Ordinal)
                ? error
                : "signature verification failed: " + error);
        }
        else
        {
            CheckContents(checkpoint!, size, reasons);
            ObserveSignedCheckpoint(checkpoint!, size, note);
        }

        _anchorPending = false;

        var previousSize = _previousCheckpointSize;
        _previousNote = note;
        _previousNoteKnown = true;
        _previousCheckpointSize = size;

        if (reasons.Count > 0)
        {
            AddProblem(location, null, null, string.Join("; ", reasons));
            Line(CheckpointKind, location, Invalid(string.Join("; ", reasons)));
            _checkpointsInvalid++;
            return;
        }

        if (!_treeIntact || size != _position)
        {
            Line(CheckpointKind, location, "unverified: signature valid; root not checked because the entries below it are invalid");
            return;
        }

        if (!checkpoint!.RootHash.AsSpan().SequenceEqual(CurrentRoot()))
        {
            // The note is genuine (signature verified), so the entries it covers are what changed.
            var culprit = _pendingBlocks.Find(b => b.Name.LastIndex >= previousSize)
                ?? new PendingBlock(new LedgerBlockName(previousSize, Math.Max(previousSize, size - 1)));
            Fail(culprit, previousSize, null, $"hash value doesn't match: entries {previousSize}-{size - 1} do not rebuild the root signed by {location}");
            Line(CheckpointKind, location, Valid + " (signature); the entries below it do not match its root");
            _checkpointsValid++;
            BreakTree();
            ResolvePendingBlocks(size, signed: true);
            return;
        }

        _checkpointsValid++;
        _verifiedTreeSize = size;
        _verifiedNote = note;
        _verifiedRoot = checkpoint.RootHash;
        _verifiedTime = checkpoint.TryGetTime(out var time) ? time : null;
        Line(CheckpointKind, location, Valid);
        ReportSessionFaults(size);
        ResolvePendingBlocks(size, signed: true);
    }

    private void CheckContents(Checkpoint checkpoint, long size, List<string> reasons)
    {
        if (checkpoint.TreeSize != size)
        {
            reasons.Add($"has been moved from its original location: the note is for tree size {checkpoint.TreeSize}");
        }

        if (checkpoint.Origin != _origin)
        {
            reasons.Add($"has been moved from its original location: the note's origin is '{checkpoint.Origin}'");
        }

        if (!checkpoint.TryGetPrev(out var prev))
        {
            reasons.Add("invalid format: missing or malformed prev line");
        }
        else if (_anchorPending)
        {
            // The first checkpoint of a partial ledger: what it chains to is outside the copy.
            CheckAnchor(size, reasons);
            return;
        }
        else if (_previousNoteKnown)
        {
            var expected = _previousNote is null ? CheckpointExtensions.None : CheckpointExtensions.NoteHash(_previousNote);
            if (prev != expected)
            {
                reasons.Add(_previousNote is null
                    ? "chain broken: prev names a checkpoint that is not in the ledger (an earlier checkpoint is missing)"
                    : $"chain broken: prev does not match {LedgerCheckpointName.Path(_previousCheckpointSize)} (a checkpoint is missing, replaced or reordered)");
            }
        }

        if (checkpoint.TryGetRange(out var first, out var last) && checkpoint.TreeSize == size
            && (first != _previousCheckpointSize || last != size - 1))
        {
            reasons.Add($"range {first}-{last} does not follow the previous checkpoint at size {_previousCheckpointSize}");
        }
    }

    private void CheckAnchor(long size, List<string> reasons)
    {
        if (size != _startSize)
        {
            reasons.Add($"chain broken: the copy starts at leaf {_startSize} but its first checkpoint is for size {size}");
        }
    }
}
