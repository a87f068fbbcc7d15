using Tenants.Abstractions.Audit;
using Tenants.Edge.Audit;

namespace Tenants.Edge.Proxy;

/// <summary>
/// The audit view of one proxied connection: watches both directions, pairs each statement with the responses it
/// caused, and emits events. The client side and the server side run on different threads; the queue of pending
/// statements and the COPY in progress are the only state they share.
/// </summary>
internal sealed partial class ProxySession : IDisposable
{
    private const string TruncatedMarker = " /* [truncated by the audit proxy] */";

    private readonly SessionTags _tags;
    private readonly IAuditEventSink _sink;
    private readonly TimeProvider _time;
    private readonly CancelKeyRegistry _cancelKeys;
    private readonly CancelTarget _cancelTarget;
    private readonly EndpointDurabilityOptions _durability;
    private readonly long _startTimestamp;
    private byte[]? _cancelKey;
    private long _statements;

    public ProxySession(SessionTags tags, IAuditEventSink sink, TimeProvider time, CancelKeyRegistry cancelKeys, CancelTarget cancelTarget, EndpointDurabilityOptions? durability = null)
    {
        _durability = durability ?? new EndpointDurabilityOptions();
        _anyDurable = Enum.GetValues<Tenants.Policy.Classification.StatementClass>().Any(c => _durability.For(c) == DurabilityMode.Durable);
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

    /// <summary>True once the server said ReadyForQuery after the login: the session is established.</summary>
    public bool Ready { get; private set; }

    /// <summary>Emits an event in <see cref="DurabilityMode.Sequenced"/> mode (or the mode given).</summary>
    public void Emit(AuditEventKind kind, Func<AuditEvent, AuditEvent>? fill = null, DurabilityMode mode = DurabilityMode.Sequenced)
    {
        var auditEvent = Create(kind);
        Send(fill is null ? auditEvent : fill(auditEvent), mode);
    }

    private AuditEvent Create(AuditEventKind kind) =>
        new()
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
            Person = _tags.Person,
        };

    /// <summary>Emits the session-end event and forgets the session's cancel key.</summary>
    public void End(long bytesFromClient, long bytesFromServer, string? reason)
    {
        if (_cancelKey is not null)
        {
            _cancelKeys.Remove(_cancelKey, _cancelTarget);
        }

        RecordUnanswered();
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

    public void Dispose() => _copy?.Dispose();
}
