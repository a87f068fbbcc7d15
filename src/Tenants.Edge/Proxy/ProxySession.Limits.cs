using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Tenants.Edge.Policy;
using Tenants.PgWire;
using Tenants.PgWire.Backend;

namespace Tenants.Edge.Proxy;

/// <summary>
/// The policy's row limit (a verdict's <c>MaxRows</c>). While a statement under a limit is in flight the server side
/// sees DataRows whole: the first N of the statement go to the client, later ones are dropped, and the statement's
/// CommandComplete (or PortalSuspended) becomes an ErrorResponse 54000. After it the client sees nothing more up to
/// ReadyForQuery, as after any error (the server's answers to the rest of an extended pipeline are still recorded).
/// If that ReadyForQuery says the server is in a transaction block, the proxy fails the server's transaction too (a
/// Describe of a missing portal and a Sync, whose answers it swallows) and tells the client 'E'. An Execute resumed
/// on the same portal counts on from the rows already sent. See docs/protocol.md, "Policy".
/// </summary>
internal sealed partial class ProxySession
{
    /// <summary>The portal the transaction-failing Describe names (never one a client uses).</summary>
    internal const string LimitPortal = "tenants_audit_proxy_row_limit";

    private readonly Dictionary<long, long> _suspendedRows = [];
    private int _limitedInFlight;
    private PendingStatement? _limitHead;
    private bool _limitLooked;
    private long _rowsSeen;
    private bool _limitExceeded;
    private bool _skipToReady;
    private bool _abortInFlight;

    private static bool HasLimit(PendingStatement pending) => pending.Verdict is { MaxRows: not null };

    /// <summary>Whether the server side must see whole messages of this code for a row limit (a volatile read when none applies).</summary>
    private bool LimitsRewrite(byte code) => code switch
    {
        _ when _skipToReady || _abortInFlight => true,
        BackendMessageCode.DataRow => Volatile.Read(ref _limitedInFlight) > 0,
        BackendMessageCode.CommandComplete or BackendMessageCode.PortalSuspended => _limitExceeded,
        _ => false,
    };

    /// <summary>Rows under a limit are held whole however large (up to the endpoint's message limit), so none past it leaks.</summary>
    private bool LimitsHoldWhole(byte code) => _skipToReady || _abortInFlight || (code == BackendMessageCode.DataRow && Volatile.Read(ref _limitedInFlight) > 0);

    /// <summary>Rewrites a server message for a row limit; false when the limit has nothing to do with it.</summary>
    private bool TryRewriteForLimits(in ReadOnlySequence<byte> message, IBufferWriter<byte> output)
    {
        if (_lookupInFlight)
        {
            return false;
        }

        var code = message.FirstSpan[0];
        if (_abortInFlight)
        {
            // The answers to the proxy's own Describe and Sync: none reaches the client or the audit trail.
            _swallowed = true;
            if (code == BackendMessageCode.ReadyForQuery)
            {
                _abortInFlight = false;
                WriteReadyForQuery(output, (byte)'E');
            }

            return true;
        }

        if (_skipToReady)
        {
            if (code == BackendMessageCode.ReadyForQuery)
            {
                _skipToReady = false;
                FinishLimited(message, output);
            }
            else if (code == BackendMessageCode.ErrorResponse && RefusalsInFlight)
            {
                // A refused statement later in the pipeline: its refusal is used up, though the client never sees it.
                RewriteRefusal(message, new ArrayBufferWriter<byte>());
            }
            else if (code == BackendMessageCode.CopyInResponse && SendUpstream is { } send)
            {
                // A COPY FROM STDIN later in the pipeline waits for data the client will never send: fail it (the
                // client's Sync, sent during copy-in, was ignored, so the proxy sends one).
                send(CopyFailAndSync());
            }

            return true;
        }

        switch (code)
        {
            case BackendMessageCode.DataRow:
                if (!CountRow())
                {
                    return true;
                }

                if (!MaskingRewrites(code))
                {
                    WriteUnchanged(message, output);
                    return true;
                }

                return false;
            case BackendMessageCode.CommandComplete or BackendMessageCode.PortalSuspended when _limitExceeded && _limitHead?.Limit is { } limit:
                ErrorResponseWriter.Write(output, "ERROR", limit.SqlState, limit.Message, limit.Hint);
                _skipToReady = true;
                return true;
            default:
                return false;
        }
    }

    /// <summary>A DataRow of the current result: true to forward it, false to drop it (past the limit).</summary>
    private bool CountRow()
    {
        if (!_limitLooked)
        {
            _limitLooked = true;
            _limitHead = PeekHead();
            _rowsSeen = _limitHead is { PortalBind: > 0 and var bind } ? _suspendedRows.GetValueOrDefault(bind) : 0;
        }

        if (_limitHead?.Verdict?.MaxRows is not { } max)
        {
            return true;
        }

        _rowsSeen++;
        if (_rowsSeen <= max)
        {
            _limitHead.RowsForwarded = _rowsSeen;
            return true;
        }

        if (!_limitExceeded)
        {
            _limitExceeded = true;
            var policy = PolicyHandle.Current.Policy;
            var rule = _limitHead.Verdict.MaxRowsRuleId;
            _limitHead.RowsForwarded = max;
            _limitHead.Limit = new PolicyRefusal(SessionPolicy.LimitSqlState, "limited", rule, policy.Version, policy.VersionHash,
                $"statement returned more than {max} rows (limit of policy rule '{rule}')",
                $"The tenant's policy limits the rows a statement may return; the first {max} were sent and the rest withheld. Narrow the query (WHERE, LIMIT) to stay within it.");
        }

        return false;
    }

    /// <summary>
    /// The ReadyForQuery after a statement cut at its limit: in a transaction block, the server's transaction is failed
    /// too (the client saw an error) unless the client has already sent more; otherwise it goes to the client as is.
    /// </summary>
    private void FinishLimited(in ReadOnlySequence<byte> message, IBufferWriter<byte> output)
    {
        var inTransaction = message.Length == MessageHeader.Size + 1 && message.Slice(MessageHeader.Size).FirstSpan[0] == (byte)'T';
        bool alone;
        lock (_lock)
        {
            alone = _pending.Count <= 1;
        }

        if (inTransaction && alone && SendUpstream is { } send)
        {
            _abortInFlight = true;
            send(DescribeAndSync());
            return;
        }

        WriteUnchanged(message, output);
    }

    /// <summary>Called for every server message after it went through (not for swallowed ones): ends a result's count.</summary>
    private void OnLimitsMessage(byte code)
    {
        switch (code)
        {
            case BackendMessageCode.PortalSuspended:
                if (_limitHead is { PortalBind: > 0 and var bind } && !_limitExceeded)
                {
                    _suspendedRows[bind] = _rowsSeen;
                }

                EndCount();
                break;
            case BackendMessageCode.CommandComplete or BackendMessageCode.ErrorResponse or BackendMessageCode.EmptyQueryResponse:
                if (_limitHead is { PortalBind: > 0 and var done })
                {
                    _suspendedRows.Remove(done);
                }

                EndCount();
                break;
            case BackendMessageCode.ReadyForQuery:
                EndCount();
                _suspendedRows.Clear();
                lock (_lock)
                {
                    _limitedInFlight = _pending.Count(HasLimit);
                }

                break;
        }
    }

    private void EndCount()
    {
        _limitHead = null;
        _limitLooked = false;
        _limitExceeded = false;
        _rowsSeen = 0;
    }

    /// <summary>The result the event records for a completion: the limit's error in place of what the client did not get.</summary>
    private StatementResult ResultOf(PendingStatement head, string? tag, long? rows, ErrorResponseMessage? error, CopySummary? copy, long timestamp) =>
        head.Limit is { } limit && error is null
            ? new StatementResult(null, head.RowsForwarded, limit.SqlState, limit.Message, copy, timestamp)
            : new StatementResult(tag, rows, error?.SqlState, error?.Message, copy, timestamp);

    private static byte[] DescribeAndSync()
    {
        var output = new ArrayBufferWriter<byte>();
        WriteDescribePortal(output, LimitPortal);
        WriteSync(output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] CopyFailAndSync()
    {
        const string reason = "the audit proxy ended the request after a row limit";
        var length = 4 + Encoding.ASCII.GetByteCount(reason) + 1;
        var bytes = new byte[1 + length + 5];
        bytes[0] = (byte)'f';
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), length);
        Encoding.ASCII.GetBytes(reason, bytes.AsSpan(5));
        bytes[1 + length] = (byte)'S';
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(2 + length), 4);
        return bytes;
    }

    private static void WriteReadyForQuery(IBufferWriter<byte> output, byte status)
    {
        var span = output.GetSpan(6);
        span[0] = BackendMessageCode.ReadyForQuery;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], 5);
        span[5] = status;
        output.Advance(6);
    }
}
