using System.Buffers;
using Tenants.Abstractions.Audit;
using Tenants.PgWire;
using Tenants.PgWire.Backend;
using Tenants.PgWire.Frontend;

namespace Tenants.Edge.Proxy;

internal sealed partial class ProxySession
{
    private readonly Dictionary<string, ParseMessage> _prepared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Sql, IReadOnlyList<string?> Parameters)> _portals = new(StringComparer.Ordinal);

    private void OnClientMessage(byte code, in ReadOnlySequence<byte> body, bool truncated)
    {
        switch (code)
        {
            case FrontendMessageCode.Query:
                // A body cut at the capture limit still gives the text up to the cut.
                _ = QueryMessage.TryParse(body, out var query);
                Enqueue(new PendingStatement { Kind = PendingKind.SimpleQuery, Sql = query.Sql, SqlTruncated = truncated, StartTimestamp = _time.GetTimestamp(), Mode = TakeMode(PendingKind.SimpleQuery, query.Sql) });
                break;
            case FrontendMessageCode.Parse:
                _ = ParseMessage.TryParse(body, out var parse);
                _prepared[parse.StatementName] = truncated ? parse with { Sql = parse.Sql + TruncatedMarker } : parse;
                NoteParse(parse.StatementName);
                break;
            case FrontendMessageCode.Bind when BindMessage.TryParse(body, out var bind):
                var statement = _prepared.GetValueOrDefault(bind!.StatementName);
                _portals[bind.PortalName] = (statement.Sql, DecodeParameters(bind, statement.ParameterTypes));
                NoteBind(bind.PortalName, bind.StatementName);
                break;
            case FrontendMessageCode.Execute when ExecuteMessage.TryParse(body, out var execute):
                var portal = _portals.GetValueOrDefault(execute.PortalName);
                Enqueue(new PendingStatement { Kind = PendingKind.Execute, Sql = portal.Sql, Parameters = portal.Parameters, StartTimestamp = _time.GetTimestamp(), Mode = TakeMode(PendingKind.Execute, portal.Sql), Portal = PortalSourceOf(execute.PortalName) });
                break;
            case FrontendMessageCode.FunctionCall when FunctionCallMessage.TryParse(body, out var call):
                Enqueue(new PendingStatement
                {
                    Kind = PendingKind.FunctionCall,
                    Sql = $"-- function call: oid {call!.FunctionOid}",
                    Parameters = call.Arguments.Select((a, i) => a is null ? null : PgTypeDecoder.Format(0, call.FormatOf(i), a)).ToList(),
                    StartTimestamp = _time.GetTimestamp(),
                    Mode = TakeMode(PendingKind.FunctionCall, null),
                });
                break;
            case FrontendMessageCode.Describe when DescribeMessage.TryParse(body, out var describe):
                NoteDescribe(describe);
                break;
            case FrontendMessageCode.Sync:
                _pipelineRefused = false;
                NoteSync();
                Enqueue(new PendingStatement { Kind = PendingKind.Sync, StartTimestamp = _time.GetTimestamp() });
                break;
            case FrontendMessageCode.Close when CloseMessage.TryParse(body, out var close):
                if (close.Kind == CloseMessage.Statement)
                {
                    _prepared.Remove(close.Name);
                    ForgetStatement(close.Name);
                }
                else
                {
                    _portals.Remove(close.Name);
                    _portalSources.Remove(close.Name);
                }

                break;
            case FrontendMessageCode.CopyDone or FrontendMessageCode.CopyFail:
                FinishCopy("in");
                break;
        }
    }

    private static List<string?> DecodeParameters(BindMessage bind, IReadOnlyList<uint>? types)
    {
        var values = new List<string?>(bind.Values.Count);
        for (var i = 0; i < bind.Values.Count; i++)
        {
            var oid = types is not null && i < types.Count ? types[i] : 0u;
            values.Add(bind.Values[i] is { } value ? PgTypeDecoder.Format(oid, bind.FormatOf(i), value) : null);
        }

        if (!bind.Complete)
        {
            values.Add(TruncatedMarker.Trim());
        }

        return values;
    }

    private void OnServerMessage(byte code, in ReadOnlySequence<byte> body)
    {
        if (code == BackendMessageCode.BackendKeyData && BackendKeyDataMessage.TryParse(body, out var keyData))
        {
            // Sent once after AuthenticationOk; a cancel for this backend arrives later on a connection of its own.
            // Only the first is routed, and only if no other session holds the same key.
            if (_cancelKey is null && _cancelKeys.Register(keyData!.CancelKey, _cancelTarget))
            {
                _cancelKey = keyData.CancelKey;
            }

            return;
        }

        if (!Ready)
        {
            OnServerLoginMessage(code, body);
            return;
        }

        switch (code)
        {
            case BackendMessageCode.CommandComplete when CommandCompleteMessage.TryParse(body, out var complete):
                OnResult(complete.Tag, complete.Rows, error: null);
                break;
            case BackendMessageCode.EmptyQueryResponse:
                OnResult(null, null, error: null);
                break;
            case BackendMessageCode.PortalSuspended:
                OnResult("portal suspended", null, error: null);
                break;
            case BackendMessageCode.ErrorResponse when ErrorResponseMessage.TryParse(body, out var error):
                OnResult(null, null, error);
                break;
            case BackendMessageCode.FunctionCallResponse:
                OnResult("function call", null, error: null);
                break;
            case BackendMessageCode.ReadyForQuery:
                OnReadyForQuery();
                break;
            case BackendMessageCode.CopyInResponse:
                StartCopy("in");
                break;
            case BackendMessageCode.CopyOutResponse:
                StartCopy("out");
                break;
            case BackendMessageCode.CopyDone:
                FinishCopy("out");
                break;
        }
    }

    /// <summary>
    /// The login is over at the first ReadyForQuery, not at AuthenticationOk: the server checks the database, the
    /// connection limits and the role's settings after authenticating, and any of them can still refuse (3D000, 53300).
    /// </summary>
    private void OnServerLoginMessage(byte code, in ReadOnlySequence<byte> body)
    {
        switch (code)
        {
            case BackendMessageCode.Authentication when AuthenticationMessage.TryParse(body, out var auth) && auth.Code == AuthenticationMessage.Ok:
                LoggedIn = true;
                break;
            case BackendMessageCode.ErrorResponse when ErrorResponseMessage.TryParse(body, out var error):
                Emit(AuditEventKind.LoginFailed, e => e with { SqlState = error.SqlState, Message = error.Message });
                break;
            case BackendMessageCode.ReadyForQuery when LoggedIn:
                Ready = true;
                Emit(AuditEventKind.LoginSucceeded);
                break;
        }
    }

    private sealed class ClientObserver(ProxySession session) : IMessageObserver
    {
        public bool WantsBody(byte code) => code is FrontendMessageCode.Query or FrontendMessageCode.Parse
            or FrontendMessageCode.Bind or FrontendMessageCode.Execute or FrontendMessageCode.Close or FrontendMessageCode.FunctionCall
            or FrontendMessageCode.Describe;

        public void OnMessage(byte code, int length, in ReadOnlySequence<byte> body, bool truncated) =>
            session.OnClientMessage(code, body, truncated);

        public bool StreamsBody(byte code) => code == FrontendMessageCode.CopyData && session.CopyDirection == "in";

        public void OnBodyChunk(in ReadOnlySequence<byte> chunk) => session.AppendCopy(chunk);

        public bool Rewrites(byte code) => false;

        public void Rewrite(in ReadOnlySequence<byte> message, IBufferWriter<byte> output) => throw new NotSupportedException();

        public bool Holds(byte code) => (session._anyDurable || session.PolicyActive) && code is FrontendMessageCode.Query or FrontendMessageCode.Execute or FrontendMessageCode.FunctionCall;

        public Task<bool>? Hold(byte code, in ReadOnlySequence<byte> message, bool truncated, CancellationToken cancellationToken) =>
            session.Hold(code, message.Slice(MessageHeader.Size), truncated, cancellationToken);

        public void Refuse(byte code, IBufferWriter<byte> output) => session.Refuse(code, output);

        public ValueTask SettleAsync(CancellationToken cancellationToken) => session.SettleAsync(cancellationToken);
    }

    private sealed class ServerObserver(ProxySession session) : IMessageObserver
    {
        public bool WantsBody(byte code) => code is BackendMessageCode.CommandComplete or BackendMessageCode.ErrorResponse
            or BackendMessageCode.Authentication or BackendMessageCode.BackendKeyData
            || (code == BackendMessageCode.RowDescription && session.TracksRowDescriptions);

        public void OnMessage(byte code, int length, in ReadOnlySequence<byte> body, bool truncated)
        {
            if (session.TakeSwallowed())
            {
                return;
            }

            session.OnServerMessage(code, body);
            session.OnMaskingMessage(code, body);
            session.OnLimitsMessage(code);
        }

        public bool StreamsBody(byte code) => code == BackendMessageCode.CopyData && session.CopyDirection == "out";

        public void OnBodyChunk(in ReadOnlySequence<byte> chunk) => session.AppendCopy(chunk);

        public bool Rewrites(byte code) => (code is BackendMessageCode.Authentication or BackendMessageCode.ErrorResponse && !session.LoggedIn)
            || (code == BackendMessageCode.ErrorResponse && session.RefusalsInFlight)
            || session.MaskingRewrites(code) || session.LimitsRewrite(code);

        public int RewriteLimit(byte code) => session.LimitsHoldWhole(code) ? int.MaxValue : session.MaskingRewriteLimit(code);

        public ValueTask SettleAsync(CancellationToken cancellationToken) => session.SettleAsync(cancellationToken);

        public void Rewrite(in ReadOnlySequence<byte> message, IBufferWriter<byte> output)
        {
            if (session.TryRewriteForLimits(message, output))
            {
                return;
            }

            if (session.MaskingRewrites(message.FirstSpan[0]) && session.TryRewriteForMasking(message, output))
            {
                return;
            }

            if (session.LoggedIn)
            {
                session.RewriteRefusal(message, output);
            }
            else if (message.FirstSpan[0] == BackendMessageCode.Authentication)
            {
                SaslMechanisms.WithoutChannelBinding(message, output);
            }
            else
            {
                ChannelBindingHint.Apply(message, output);
            }
        }
    }
}
