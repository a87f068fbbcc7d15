using System.Buffers;
using Tenants.Abstractions.Audit;
using Tenants.Edge.Audit;
using Tenants.PgWire;
using Tenants.PgWire.Backend;
using Tenants.PgWire.Frontend;
using Tenants.Policy.Classification;

namespace Tenants.Edge.Proxy;

/// <summary>
/// The audit view of one proxied connection: watches both directions, pairs each statement with the responses it
/// caused, and emits events. The client side and the server side run on different threads; the queue of pending
/// statements is the only state they share.
/// </summary>
internal sealed class ProxySession
{
    private const string TruncatedMarker = " /* [truncated by the audit proxy] */";

    private readonly SessionTags _tags;
    private readonly IAuditEventSink _sink;
    private readonly TimeProvider _time;
    private readonly CancelKeyRegistry _cancelKeys;
    private readonly CancelTarget _cancelTarget;
    private readonly Queue<PendingStatement> _pending = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _preparedSql = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _portalSql = new(StringComparer.Ordinal);
    private readonly long _startTimestamp;
    private byte[]? _cancelKey;
    private long _statements;

    public ProxySession(SessionTags tags, IAuditEventSink sink, TimeProvider time, CancelKeyRegistry cancelKeys, CancelTarget cancelTarget)
    {
        _tags = tags;
        _sink = sink;
        _time = time;
        _cancelKeys = cancelKeys;
        _cancelTarget = cancelTarget;
        _startTimestamp = time.GetTimestamp();
        Client = new ClientObserver(this);
        Server = new ServerObserver(this);
    }

    public IMessageObserver Client { get; }

    public IMessageObserver Server { get; }

    /// <summary>True once the upstream server said AuthenticationOk.</summary>
    public bool LoggedIn { get; private set; }

    public void Emit(AuditEventKind kind, Func<AuditEvent, AuditEvent>? fill = null)
    {
        var auditEvent = new AuditEvent
        {
            EventId = Ulid.New(_time.GetUtcNow()),
            Kind = kind,
            Time = _time.GetUtcNow(),
            TenantId = _tags.TenantId,
            EndpointId = _tags.EndpointId,
            SessionId = _tags.SessionId,
            ClientAddress = _tags.ClientAddress,
            ProxyNode = _tags.ProxyNode,
            DatabaseUser = _tags.DatabaseUser,
            Database = _tags.Database,
            ApplicationName = _tags.ApplicationName,
            TlsProtocol = _tags.TlsProtocol,
            TlsCipher = _tags.TlsCipher,
            ServerName = _tags.ServerName,
        };
        _sink.TryEmit(fill is null ? auditEvent : fill(auditEvent));
    }

    /// <summary>Emits the session-end event and forgets the session's cancel key.</summary>
    public void End(long bytesFromClient, long bytesFromServer, string? reason)
    {
        if (_cancelKey is not null)
        {
            _cancelKeys.Remove(_cancelKey);
        }

        var statements = Interlocked.Read(ref _statements);
        var duration = (long)_time.GetElapsedTime(_startTimestamp).TotalMicroseconds;
        Emit(AuditEventKind.SessionEnded, e => e with
        {
            BytesFromClient = bytesFromClient,
            BytesFromServer = bytesFromServer,
            Statements = statements,
            DurationMicros = duration,
            Message = reason,
        });
    }

    private void OnClientMessage(byte code, in ReadOnlySequence<byte> body, bool truncated)
    {
        switch (code)
        {
            case FrontendMessageCode.Query when QueryMessage.TryParse(body, out var query) || truncated:
                Enqueue(PendingKind.SimpleQuery, query.Sql, truncated);
                break;
            case FrontendMessageCode.Parse when ParseMessage.TryParse(body, out var parse) || truncated:
                _preparedSql[parse.StatementName] = truncated ? parse.Sql + TruncatedMarker : parse.Sql;
                break;
            case FrontendMessageCode.Bind when BindMessage.TryParse(body, out var bind):
                _portalSql[bind.PortalName] = _preparedSql.GetValueOrDefault(bind.StatementName, string.Empty);
                break;
            case FrontendMessageCode.Execute when ExecuteMessage.TryParse(body, out var execute):
                Enqueue(PendingKind.Execute, _portalSql.GetValueOrDefault(execute.PortalName), false);
                break;
            case FrontendMessageCode.Sync:
                Enqueue(PendingKind.Sync, null, false);
                break;
            case FrontendMessageCode.Close when CloseMessage.TryParse(body, out var close):
                (close.Kind == CloseMessage.Statement ? _preparedSql : _portalSql).Remove(close.Name);
                break;
        }
    }

    private void Enqueue(PendingKind kind, string? sql, bool truncated)
    {
        var pending = new PendingStatement { Kind = kind, Sql = sql, SqlTruncated = truncated, StartTimestamp = _time.GetTimestamp() };
        lock (_lock)
        {
            _pending.Enqueue(pending);
        }
    }

    private void OnServerMessage(byte code, in ReadOnlySequence<byte> body)
    {
        if (code == BackendMessageCode.BackendKeyData && BackendKeyDataMessage.TryParse(body, out var keyData))
        {
            // Sent after AuthenticationOk; a cancel for this backend arrives later on a connection of its own.
            _cancelKey = keyData!.CancelKey;
            _cancelKeys.Register(_cancelKey, _cancelTarget);
            return;
        }

        if (!LoggedIn)
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
            case BackendMessageCode.ReadyForQuery:
                OnReadyForQuery();
                break;
        }
    }

    private void OnServerLoginMessage(byte code, in ReadOnlySequence<byte> body)
    {
        switch (code)
        {
            case BackendMessageCode.Authentication when AuthenticationMessage.TryParse(body, out var auth) && auth.Code == AuthenticationMessage.Ok:
                LoggedIn = true;
                Emit(AuditEventKind.LoginSucceeded);
                break;
            case BackendMessageCode.ErrorResponse when ErrorResponseMessage.TryParse(body, out var error):
                Emit(AuditEventKind.LoginFailed, e => e with { SqlState = error.SqlState, Message = error.Message });
                break;
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

            if (tag is not null)
            {
                head.Tags.Add(tag);
                head.Rows = rows;
            }

            if (error is { } e && head.SqlState is null)
            {
                head.SqlState = e.SqlState;
                head.ErrorMessage = e.Message;
            }

            // A simple Query may hold several statements: it is answered in full only by ReadyForQuery.
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
            if (_pending.TryPeek(out var head) && head.Kind == PendingKind.SimpleQuery)
            {
                completed.Add((_pending.Dequeue(), true));
            }
            else
            {
                // Close the extended-protocol pipeline: Executes still waiting were skipped after an error.
                while (_pending.TryDequeue(out var item) && item.Kind != PendingKind.Sync)
                {
                    completed.Add((item, item.Kind == PendingKind.SimpleQuery));
                }
            }
        }

        foreach (var (statement, executed) in completed)
        {
            Complete(statement, executed);
        }
    }

    private void Complete(PendingStatement statement, bool executed)
    {
        Interlocked.Increment(ref _statements);
        var sql = statement.SqlTruncated ? statement.Sql + TruncatedMarker : statement.Sql;
        var duration = (long)_time.GetElapsedTime(statement.StartTimestamp).TotalMicroseconds;
        Emit(AuditEventKind.Statement, e => e with
        {
            Sql = sql,
            StatementClass = StatementClassifier.Classify(sql).ToString().ToLowerInvariant(),
            Protocol = statement.Kind == PendingKind.SimpleQuery ? "simple" : "extended",
            CommandTag = statement.Tags.Count == 0 ? null : string.Join("; ", statement.Tags),
            Rows = statement.Rows,
            SqlState = statement.SqlState,
            Message = executed ? statement.ErrorMessage : "not executed: an earlier error in the same pipeline aborted it",
            DurationMicros = duration,
        });
    }

    private sealed class ClientObserver(ProxySession session) : IMessageObserver
    {
        public bool Rewrites(byte code) => false;

        public void Rewrite(in ReadOnlySequence<byte> message, IBufferWriter<byte> output) => throw new NotSupportedException();

        public bool WantsBody(byte code) => code is FrontendMessageCode.Query or FrontendMessageCode.Parse
            or FrontendMessageCode.Bind or FrontendMessageCode.Execute or FrontendMessageCode.Close;

        public void OnMessage(byte code, int length, in ReadOnlySequence<byte> body, bool truncated) =>
            session.OnClientMessage(code, body, truncated);
    }

    private sealed class ServerObserver(ProxySession session) : IMessageObserver
    {
        public bool Rewrites(byte code) => code == BackendMessageCode.Authentication && !session.LoggedIn;

        public void Rewrite(in ReadOnlySequence<byte> message, IBufferWriter<byte> output) =>
            SaslMechanisms.WithoutChannelBinding(message, output);

        public bool WantsBody(byte code) => code is BackendMessageCode.CommandComplete or BackendMessageCode.ErrorResponse
            or BackendMessageCode.Authentication or BackendMessageCode.BackendKeyData;

        public void OnMessage(byte code, int length, in ReadOnlySequence<byte> body, bool truncated) =>
            session.OnServerMessage(code, body);
    }
}
