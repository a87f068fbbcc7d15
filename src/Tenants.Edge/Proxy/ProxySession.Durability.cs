using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Tenants.Abstractions.Audit;
using Tenants.Edge.Policy;
using Tenants.PgWire;
using Tenants.PgWire.Backend;
using Tenants.PgWire.Frontend;
using Tenants.Policy.Classification;
using Tenants.Policy.Lexing;

namespace Tenants.Edge.Proxy;

/// <summary>
/// Durability of a session's statement events. A durable statement is held by the client pump until the ledger has
/// acknowledged its <c>statement_submitted</c> event. If it is not acknowledged, the statement is replaced on its way
/// upstream by a Describe of a portal that does not exist (plus a Sync for a simple Query or FunctionCall). The server
/// answers that with an ErrorResponse, which the proxy rewrites into its own (55000), and then, as for any error, it
/// skips the rest of the pipeline up to Sync, aborts the transaction and says ReadyForQuery. So the client's
/// responses stay paired with its messages, and the server's transaction state is exactly what an error would leave.
/// </summary>
internal sealed partial class ProxySession
{
    /// <summary>The portal the replacement Describe names; the server's "does not exist" error for it is ours.</summary>
    internal const string RefusedPortal = "tenants_audit_proxy_refused_statement";

    /// <summary>
    /// object_not_in_prerequisite_state: the statement's prerequisite, its audit record, is missing. Not 57P03 or
    /// 53000: Npgsql closes the connection on those (it reads them as the server going away), and the session must stay
    /// usable.
    /// </summary>
    internal const string RefusalSqlState = "55000";

    internal const string RefusalMessage =
        "statement not executed: the audit ledger did not acknowledge it (durable mode fails closed); try again when the ledger is available";

    private readonly bool _anyDurable;
    private readonly List<Task> _waits = [];
    private DurabilityMode? _nextMode;
    private PendingStatement? _held;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string SqlState, string Message, string Hint)> _refusals = new();
    private PolicyRefusal? _heldRefusal;
    private bool _pipelineRefused;

    private bool RefusalsInFlight => !_refusals.IsEmpty;

    /// <summary>Sends an event in its mode; a sequenced event that has to wait for room is awaited by <see cref="SettleAsync"/>.</summary>
    private void Send(AuditEvent auditEvent, DurabilityMode mode)
    {
        if (mode == DurabilityMode.Async)
        {
            _sink.TryEmit(auditEvent);
            return;
        }

        var queued = _sink.EmitAsync(auditEvent, CancellationToken.None);
        if (!queued.IsCompletedSuccessfully)
        {
            lock (_waits)
            {
                _waits.Add(queued.AsTask());
            }
        }
    }

    /// <summary>Completes when every event this session emitted has found room in the audit queue (or the spool).</summary>
    private ValueTask SettleAsync(CancellationToken cancellationToken)
    {
        Task[] waits;
        lock (_waits)
        {
            if (_waits.Count == 0)
            {
                return ValueTask.CompletedTask;
            }

            waits = [.. _waits];
            _waits.Clear();
        }

        return new ValueTask(Task.WhenAll(waits).WaitAsync(cancellationToken));
    }

    private DurabilityMode ModeOf(PendingKind kind, string? sql)
    {
        if (kind != PendingKind.SimpleQuery || sql is null)
        {
            return _durability.For(kind == PendingKind.FunctionCall ? StatementClass.Other : StatementClassifier.Classify(sql));
        }

        // A query string of several statements is as durable as the strictest of them.
        var parts = SqlStatementSplitter.Split(sql);
        return parts.Count == 0 ? _durability.For(StatementClassifier.Classify(sql)) : parts.Select(p => _durability.For(StatementClassifier.Classify(p))).Min();
    }

    private DurabilityMode TakeMode(PendingKind kind, string? sql)
    {
        var mode = _nextMode ?? ModeOf(kind, sql);
        _nextMode = null;
        return mode;
    }

    /// <summary>Decides whether a statement must wait for its durable event before it goes upstream; null to forward it now.</summary>
    private Task<bool>? Hold(byte code, ReadOnlySequence<byte> body, bool truncated, CancellationToken cancellationToken)
    {
        PendingStatement statement;
        switch (code)
        {
            case FrontendMessageCode.Query:
                _ = QueryMessage.TryParse(body, out var query);
                statement = new PendingStatement { Kind = PendingKind.SimpleQuery, Sql = query.Sql, SqlTruncated = truncated };
                break;
            case FrontendMessageCode.Execute when ExecuteMessage.TryParse(body, out var execute):
                var portal = _portals.GetValueOrDefault(execute.PortalName);
                statement = new PendingStatement { Kind = PendingKind.Execute, Sql = portal.Sql, Parameters = portal.Parameters };
                break;
            case FrontendMessageCode.FunctionCall when FunctionCallMessage.TryParse(body, out var call):
                statement = new PendingStatement { Kind = PendingKind.FunctionCall, Sql = $"-- function call: oid {call!.FunctionOid}" };
                break;
            default:
                return null;
        }

        var mode = ModeOf(statement.Kind, statement.Sql);
        _nextMode = mode;

        // After a refusal the server skips the rest of the pipeline: nothing there will run, so nothing waits.
        if (_pipelineRefused)
        {
            return null;
        }

        // The policy first: a statement it refuses is refused now, without waiting for any event.
        if (CheckPolicy(statement, truncated) is { } refusal)
        {
            _held = statement;
            _heldRefusal = refusal;
            return Task.FromResult(false);
        }

        if (mode != DurabilityMode.Durable)
        {
            return null;
        }

        _held = statement;
        _heldRefusal = null;
        var sql = statement.SqlTruncated ? statement.Sql + TruncatedMarker : statement.Sql;
        var submitted = Create(AuditEventKind.StatementSubmitted) with
        {
            Sql = sql,
            StatementClass = StatementClassifier.Classify(sql).ToString().ToLowerInvariant(),
            Protocol = statement.Kind switch
            {
                PendingKind.SimpleQuery => "simple",
                PendingKind.FunctionCall => "function-call",
                _ => "extended",
            },
            Parameters = statement.Parameters,
        };
        return _sink.AppendDurableAsync(submitted, cancellationToken);
    }

    /// <summary>Writes the replacement of a refused statement and records the statement as refused.</summary>
    private void Refuse(byte code, IBufferWriter<byte> output)
    {
        var held = _held!;
        var policy = _heldRefusal;
        _held = null;
        _heldRefusal = null;
        _refusals.Enqueue(policy is null
            ? (RefusalSqlState, RefusalMessage, "The endpoint records this class of statement durably before running it. Nothing was executed.")
            : (policy.SqlState, policy.Message, policy.Hint));
        WriteDescribePortal(output, RefusedPortal);
        if (code != FrontendMessageCode.Execute)
        {
            WriteSync(output);
        }
        else
        {
            _pipelineRefused = true;
        }

        Enqueue(new PendingStatement
        {
            Kind = held.Kind,
            Sql = held.Sql,
            SqlTruncated = held.SqlTruncated,
            Parameters = held.Parameters,
            StartTimestamp = _time.GetTimestamp(),
            Mode = policy is null ? DurabilityMode.Durable : TakeMode(held.Kind, held.Sql),
            Refusal = policy?.Message ?? RefusalMessage,
            RefusalSqlState = policy?.SqlState ?? RefusalSqlState,
            Policy = policy,
        });
    }

    /// <summary>Turns the server's error about <see cref="RefusedPortal"/> into the proxy's refusal; any other error passes unchanged.</summary>
    private void RewriteRefusal(in ReadOnlySequence<byte> message, IBufferWriter<byte> output)
    {
        if (ErrorResponseMessage.TryParse(message.Slice(MessageHeader.Size), out var error)
            && error.SqlState == "34000" && error.Message?.Contains(RefusedPortal, StringComparison.Ordinal) == true)
        {
            if (_refusals.TryDequeue(out var refusal))
            {
                ErrorResponseWriter.Write(output, "ERROR", refusal.SqlState, refusal.Message, refusal.Hint);
                return;
            }
        }

        foreach (var segment in message)
        {
            output.Write(segment.Span);
        }
    }

    private static void WriteDescribePortal(IBufferWriter<byte> output, string portal)
    {
        var length = 4 + 1 + Encoding.ASCII.GetByteCount(portal) + 1;
        var span = output.GetSpan(1 + length);
        span[0] = (byte)'D';
        BinaryPrimitives.WriteInt32BigEndian(span[1..], length);
        span[5] = (byte)'P';
        var written = Encoding.ASCII.GetBytes(portal, span[6..]);
        span[6 + written] = 0;
        output.Advance(1 + length);
    }

    private static void WriteSync(IBufferWriter<byte> output)
    {
        var span = output.GetSpan(5);
        span[0] = FrontendMessageCode.Sync;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], 4);
        output.Advance(5);
    }
}
