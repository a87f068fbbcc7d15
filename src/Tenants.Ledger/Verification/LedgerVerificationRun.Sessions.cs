using System.Globalization;
using Tenants.Ledger.Sessions;

namespace Tenants.Ledger.Verification;

/// <summary>
/// The session check: a running <see cref="SessionTally"/> per open session, fed from the leaf hashes the pass computes
/// anyway, and every <c>session_summary</c> entry compared with the tally of its session's entries before it. A summary
/// is the session's promise of what it holds, so an entry of the session removed, altered or added afterwards (even
/// with the tree re-hashed and re-signed) no longer adds up to it.
/// </summary>
internal sealed partial class LedgerVerificationRun
{
    private static readonly SessionTotals NoEntries = new(-1, -1, 0, 0, 0, 0, 0, 0, 0, new Dictionary<string, long>(), string.Empty);

    // Sessions whose summary has not been read yet. A summary closes its session (one per session), so this holds only
    // the sessions still open at this point of the ledger.
    private readonly Dictionary<string, SessionTally> _sessions = new(StringComparer.Ordinal);

    // Summaries that do not add up, held until a checkpoint root shows the entries below them are the signed ones: when
    // entries were altered in storage, that is the fault to report (at its block), not the summaries it upsets.
    private readonly List<SessionFault> _sessionFaults = [];
    private int _summariesValid;
    private int _summariesInvalid;
    private int _summariesUnchecked;

    private void FoldSession(PreparedBlock block, int entry, string blockPath)
    {
        if (block.Sessions[entry] is not { SessionId: { Length: > 0 } session } facts)
        {
            return;
        }

        if (facts.Kind != SessionTally.SummaryKind)
        {
            if (!_sessions.TryGetValue(session, out var tally))
            {
                tally = new SessionTally(_tenantId, session);
                _sessions.Add(session, tally);
            }

            tally.Add(_position, block.LeafHash(entry), facts);
            return;
        }

        _sessions.Remove(session, out var open);
        var claim = facts.Summary;
        if (!_treeIntact || (claim is not null && claim.FirstLeaf < _startSize))
        {
            // Entries are missing (already reported) or lie before a partial copy's start: nothing to compare with.
            _summariesUnchecked++;
            return;
        }

        var actual = open?.ToTotals() ?? NoEntries;
        var reason = claim is null
            ? "invalid format: a session_summary without a summary object"
            : claim.Describe(actual) is { } difference ? "hash value doesn't match: " + difference : null;
        if (reason is null)
        {
            _summariesValid++;
            return;
        }

        _sessionFaults.Add(new SessionFault(session, blockPath, _position, entry + 1, reason));
    }

    // The entries below treeSize rebuilt a signed root (or, at the end, are all there is): report what they upset.
    private void ReportSessionFaults(long treeSize)
    {
        foreach (var fault in _sessionFaults.FindAll(f => f.LeafIndex < treeSize))
        {
            _summariesInvalid++;
            AddProblem(fault.BlockPath, fault.LeafIndex, fault.Line, $"session {fault.Session}: {fault.Reason}");
            Line(SessionKind, fault.Session, Invalid($"{fault.Reason} (summary at {fault.BlockPath} line {fault.Line}, leaf {fault.LeafIndex})"));
            _sessionFaults.Remove(fault);
        }
    }

    // The entries are not the signed ones (or some are missing): the summaries cannot be judged.
    private void DropSessionFaults()
    {
        _summariesUnchecked += _sessionFaults.Count;
        _sessionFaults.Clear();
    }

    private sealed record SessionFault(string Session, string BlockPath, long LeafIndex, int Line, string Reason);

    private void AddSessionSummary()
    {
        var total = _summariesValid + _summariesInvalid;
        if (total + _summariesUnchecked == 0)
        {
            return;
        }

        var text = string.Create(CultureInfo.InvariantCulture,
            $"{SummaryKind}\tsessions\t{_summariesValid}/{total} session summaries valid, {_summariesInvalid}/{total} session summaries INVALID");
        _lines.Add(_summariesUnchecked > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{text}, {_summariesUnchecked} not checked (entries missing or before the copy)")
            : text);
    }
}
