using Tenants.Abstractions.Audit;
using Tenants.PgWire.Backend;
using Tenants.Policy.Classification;
using Tenants.Policy.Lexing;

namespace Tenants.Edge.Proxy;

internal sealed partial class ProxySession
{
    private const string NotExecuted = "not executed: an earlier error in the same request aborted it";
    private const string NoAnswer = "no answer: the session ended before the server completed the statement";

    private readonly Queue<PendingStatement> _pending = new();
    private readonly Lock _lock = new();

    private void Enqueue(PendingStatement pending)
    {
        if (pending.Kind is PendingKind.SimpleQuery or PendingKind.Execute && pending.Verdict is null)
        {
            var (verdict, salt) = Evaluate(pending.Sql);
            ApplyVerdict(pending, verdict, salt);
        }

        lock (_lock)
        {
            _pending.Enqueue(pending);
            if (HasMasks(pending))
            {
                _maskedInFlight++;
            }

            if (HasLimit(pending))
            {
                _limitedInFlight++;
            }
        }
    }

    private void OnResult(string? tag, long? rows, ErrorResponseMessage? error)
    {
        PendingStatement? completed = null;
        lock (_lock)
        {
            if (!_pending.TryPeek(out var head) || head.Kind == PendingKind.Sync)
            {
                // An error from Parse/Bind with no Execute after it, or an asynchronous FATAL: not a statement.
                return;
            }

            head.Results.Add(ResultOf(head, tag, rows, error, TakeCopy(), _time.GetTimestamp()));

            // A simple Query (maybe several statements) and a FunctionCall are answered in full only by ReadyForQuery.
            if (head.Kind == PendingKind.Execute)
            {
                completed = _pending.Dequeue();
            }
        }

        if (completed is not null)
        {
            Complete(completed, executed: true);
        }
    }

    private void OnReadyForQuery()
    {
        var completed = new List<(PendingStatement Statement, bool Executed)>();
        lock (_lock)
        {
            if (_pending.TryPeek(out var head) && head.Kind is PendingKind.SimpleQuery or PendingKind.FunctionCall)
            {
                completed.Add((_pending.Dequeue(), true));
            }
            else
            {
                // Close the extended-protocol pipeline: Executes still waiting were skipped after an error.
                while (_pending.TryDequeue(out var item) && item.Kind != PendingKind.Sync)
                {
                    completed.Add((item, item.Kind != PendingKind.Execute));
                }
            }
        }

        foreach (var (statement, executed) in completed)
        {
            Complete(statement, executed);
        }
    }

    /// <summary>Statements still waiting for an answer when the session ends are recorded as such, never dropped.</summary>
    private void RecordUnanswered()
    {
        List<PendingStatement> unanswered;
        lock (_lock)
        {
            unanswered = [.. _pending.Where(p => p.Kind != PendingKind.Sync)];
            _pending.Clear();
        }

        foreach (var pending in unanswered)
        {
            var sql = pending.SqlTruncated ? pending.Sql + TruncatedMarker : pending.Sql;
            EmitStatement(pending, sql, pending.Results, pending.StartTimestamp, _time.GetTimestamp(), executed: true,
                outcome: pending.Results.Count == 0 ? NoAnswer : null);
        }
    }

    private void Complete(PendingStatement pending, bool executed)
    {
        var parts = pending.Kind == PendingKind.SimpleQuery && pending.Refusal is null && !pending.SqlTruncated && pending.Sql is not null
            ? SqlStatementSplitter.Split(pending.Sql)
            : [];
        var results = pending.Results;
        var failedAt = results.FindIndex(r => r.SqlState is not null);

        // One event per statement of a multi-statement query when the server's answers line up with the split:
        // one completion each, or completions up to an error that aborted the rest.
        if (parts.Count > 1 && (results.Count == parts.Count || (failedAt >= 0 && failedAt == results.Count - 1 && results.Count < parts.Count)))
        {
            var previous = pending.StartTimestamp;
            for (var i = 0; i < parts.Count; i++)
            {
                if (i < results.Count)
                {
                    EmitStatement(pending, parts[i], [results[i]], previous, results[i].Timestamp, executed: true);
                    previous = results[i].Timestamp;
                }
                else
                {
                    EmitStatement(pending, parts[i], [], previous, previous, executed: false);
                }
            }

            return;
        }

        var sql = pending.SqlTruncated ? pending.Sql + TruncatedMarker : pending.Sql;
        EmitStatement(pending, sql, results, pending.StartTimestamp, _time.GetTimestamp(), executed);
    }

    private void EmitStatement(PendingStatement pending, string? sql, IReadOnlyList<StatementResult> results, long start, long end, bool executed, string? outcome = null)
    {
        Interlocked.Increment(ref _statements);
        var error = results.FirstOrDefault(r => r.SqlState is not null);
        var tags = results.Where(r => r.Tag is not null).Select(r => r.Tag!).ToList();
        var copy = results.Select(r => r.Copy).LastOrDefault(c => c is not null);
        var duration = (long)_time.GetElapsedTime(start, end).TotalMicroseconds;
        Emit(AuditEventKind.Statement, e => e with
        {
            Sql = EventSql(pending, sql),
            StatementClass = StatementClassifier.Classify(sql).ToString().ToLowerInvariant(),
            Protocol = pending.Kind switch
            {
                PendingKind.SimpleQuery => "simple",
                PendingKind.FunctionCall => "function-call",
                _ => "extended",
            },
            Parameters = EventParameters(pending),
            CommandTag = tags.Count == 0 ? null : string.Join("; ", tags),
            Rows = pending.Limit is not null ? pending.RowsForwarded : results.LastOrDefault(r => r.Rows is not null)?.Rows,
            SqlState = pending.Refusal is not null ? pending.RefusalSqlState ?? RefusalSqlState : error?.SqlState,
            Message = pending.Refusal ?? outcome ?? (executed ? error?.Message : NotExecuted),
            DurationMicros = duration,
            CopyDirection = copy?.Direction,
            CopyBytes = copy?.Bytes,
            CopySha256 = copy?.Sha256,
            PolicyDecision = (pending.Policy ?? pending.Limit)?.Decision,
            PolicyRuleId = (pending.Policy ?? pending.Limit)?.RuleId,
            PolicyVersion = (pending.Policy ?? pending.Limit)?.Version,
            PolicyVersionHash = (pending.Policy ?? pending.Limit)?.VersionHash,
        }, pending.Mode == DurabilityMode.Async ? DurabilityMode.Async : DurabilityMode.Sequenced);
    }
}
