using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Storage;

namespace Tenants.Ledger.Verification;

/// <summary>
/// Anti-rollback and split-view checks against the auditor's trusted checkpoint (witness semantics, C2SP
/// tlog-witness): the ledger must still hold a signed checkpoint at least as large, and the same root and note at
/// the trusted size.
/// </summary>
internal sealed partial class LedgerVerificationRun
{
    private const string SplitView = "SECURITY ERROR: split view";
    private long _newestSignedSize = -1;
    private byte[]? _entriesRootAtTrustedSize;
    private string? _ledgerNoteAtTrustedSize;
    private byte[]? _ledgerRootAtTrustedSize;

    private LedgerTrustedCheckpoint? Trusted => _options.Trusted;

    // The entries' own root at the trusted size, taken when the walk passes it with every leaf below it intact.
    private void CaptureTrustedRoot()
    {
        if (Trusted is { } trusted && _position == trusted.TreeSize && _treeIntact && _entriesRootAtTrustedSize is null)
        {
            _entriesRootAtTrustedSize = CurrentRoot();
        }
    }

    // Called for every checkpoint whose signature verified, wherever it sits and whatever else is wrong with it.
    private void ObserveSignedCheckpoint(Checkpoint checkpoint, long size, string note)
    {
        if (checkpoint.TreeSize != size || checkpoint.Origin != _origin)
        {
            return;
        }

        _newestSignedSize = Math.Max(_newestSignedSize, size);
        if (Trusted is { } trusted && size == trusted.TreeSize)
        {
            _ledgerNoteAtTrustedSize = note;
            _ledgerRootAtTrustedSize = checkpoint.RootHash;
        }
    }

    private void CheckTrusted()
    {
        if (Trusted is not { } trusted)
        {
            return;
        }

        var location = LedgerCheckpointName.Path(trusted.TreeSize);
        if (_newestSignedSize < trusted.TreeSize)
        {
            var newest = _newestSignedSize < 0 ? "there is none" : $"it is size {_newestSignedSize}";
            var reason = $"rollback: the trusted checkpoint is size {trusted.TreeSize} but the newest signed checkpoint here is smaller ({newest}): "
                + "checkpoints and entries were removed, or an older copy is being shown";
            AddProblem(location, trusted.TreeSize, null, reason);
            Line(StateKind, location, Invalid(reason));
            return;
        }

        string? conflict = null;
        if (_ledgerRootAtTrustedSize is { } signedRoot && !signedRoot.AsSpan().SequenceEqual(trusted.RootHash))
        {
            conflict = $"two genuinely signed checkpoints for size {trusted.TreeSize} with different roots (trusted {Convert.ToBase64String(trusted.RootHash)}, "
                + $"ledger {Convert.ToBase64String(signedRoot)})";
        }
        else if (_ledgerNoteAtTrustedSize is { } ledgerNote && trusted.Note is { } trustedNote && ledgerNote != trustedNote)
        {
            conflict = $"the ledger holds a different signed note for size {trusted.TreeSize} than the trusted one";
        }
        else if (_entriesRootAtTrustedSize is { } entriesRoot && !entriesRoot.AsSpan().SequenceEqual(trusted.RootHash))
        {
            conflict = $"the entries' root at size {trusted.TreeSize} is {Convert.ToBase64String(entriesRoot)}, not the trusted {Convert.ToBase64String(trusted.RootHash)}";
        }

        if (conflict is not null)
        {
            var reason = $"{SplitView}: {conflict}";
            var evidence = new List<string> { "trusted note:\n" + (trusted.Note ?? $"(size {trusted.TreeSize}, root {Convert.ToBase64String(trusted.RootHash)})\n") };
            if (_ledgerNoteAtTrustedSize is not null)
            {
                evidence.Add("ledger note:\n" + _ledgerNoteAtTrustedSize);
            }

            _problems.Add(new LedgerProblem(location, trusted.TreeSize, null, reason) { Evidence = evidence });
            Line(StateKind, location, Invalid(reason));
            foreach (var text in evidence)
            {
                foreach (var line in text.TrimEnd('\n').Split('\n'))
                {
                    _lines.Add("    " + line);
                }
            }

            return;
        }

        if (_entriesRootAtTrustedSize is null && _ledgerRootAtTrustedSize is null)
        {
            Line(StateKind, location, $"unverified: the trusted checkpoint at size {trusted.TreeSize} could not be compared (its entries are invalid or outside this copy)");
            return;
        }

        Line(StateKind, location, $"{Valid}: extends the trusted checkpoint at size {trusted.TreeSize}");
    }
}
