namespace Tenants.Abstractions.Audit;

/// <summary>
/// One thing the edge saw, tagged with the tenant, endpoint and session it belongs to. Immutable once emitted; the
/// ledger stores it as one canonical entry. Fields that do not apply to a kind are null.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.audit-event.v1")]
public sealed record AuditEvent
{
    /// <summary>Unique id of the event (ULID): also what makes a retried delivery idempotent.</summary>
    [Id(0)] public required string EventId { get; init; }

    [Id(1)] public required AuditEventKind Kind { get; init; }

    /// <summary>When it happened, as seen by the edge node.</summary>
    [Id(2)] public required DateTimeOffset Time { get; init; }

    [Id(3)] public required string TenantId { get; init; }

    [Id(4)] public required string EndpointId { get; init; }

    /// <summary>The proxied connection (ULID).</summary>
    [Id(5)] public required string SessionId { get; init; }

    /// <summary>Client address and port, e.g. <c>127.0.0.1:51234</c>.</summary>
    [Id(6)] public string? ClientAddress { get; init; }

    /// <summary>The edge node that handled the session.</summary>
    [Id(7)] public string? ProxyNode { get; init; }

    [Id(8)] public string? DatabaseUser { get; init; }

    [Id(9)] public string? Database { get; init; }

    [Id(10)] public string? ApplicationName { get; init; }

    /// <summary>The SQL text as the client sent it.</summary>
    [Id(11)] public string? Sql { get; init; }

    /// <summary>read, write, ddl, dcl, tcl, other or unknown.</summary>
    [Id(12)] public string? StatementClass { get; init; }

    /// <summary>Command tag(s) from CommandComplete, e.g. <c>SELECT 1</c>; several are joined by <c>; </c>.</summary>
    [Id(13)] public string? CommandTag { get; init; }

    /// <summary>Rows returned or affected, from the last command tag.</summary>
    [Id(14)] public long? Rows { get; init; }

    /// <summary>SQLSTATE of an error or refusal.</summary>
    [Id(15)] public string? SqlState { get; init; }

    /// <summary>Error message, refusal reason or other human-readable detail.</summary>
    [Id(16)] public string? Message { get; init; }

    /// <summary>Microseconds from the first byte sent upstream to the completion.</summary>
    [Id(17)] public long? DurationMicros { get; init; }

    /// <summary>Bytes received from the client (session end).</summary>
    [Id(18)] public long? BytesFromClient { get; init; }

    /// <summary>Bytes received from the server (session end).</summary>
    [Id(19)] public long? BytesFromServer { get; init; }

    /// <summary>Statements run in the session (session end).</summary>
    [Id(20)] public long? Statements { get; init; }

    /// <summary>Simple or extended protocol for a statement.</summary>
    [Id(21)] public string? Protocol { get; init; }

    /// <summary>TLS version between client and proxy, e.g. <c>Tls13</c>; null for plaintext.</summary>
    [Id(22)] public string? TlsProtocol { get; init; }

    /// <summary>TLS cipher suite between client and proxy.</summary>
    [Id(23)] public string? TlsCipher { get; init; }

    /// <summary>The TLS server name (SNI) the client asked for.</summary>
    [Id(24)] public string? ServerName { get; init; }

    /// <summary>
    /// Bound parameter values of an extended-protocol statement, as text: text-format values as sent, binary values
    /// of common types decoded by OID, others as <c>base64:...</c>; null for SQL NULL.
    /// </summary>
    [Id(25)] public IReadOnlyList<string?>? Parameters { get; init; }

    /// <summary><c>in</c> or <c>out</c> for a COPY.</summary>
    [Id(26)] public string? CopyDirection { get; init; }

    /// <summary>Bytes of CopyData a COPY moved.</summary>
    [Id(27)] public long? CopyBytes { get; init; }

    /// <summary>SHA-256 (hex) of the CopyData stream, so a copied file can be matched to the audit trail.</summary>
    [Id(28)] public string? CopySha256 { get; init; }

    /// <summary>The totals of a <see cref="AuditEventKind.SessionSummary"/> event.</summary>
    [Id(29)] public AuditSessionSummary? Summary { get; init; }

    /// <summary>
    /// The person who signed in (a member id of the tenant) when the endpoint brokers credentials; then
    /// <see cref="DatabaseUser"/> is the endpoint's stored database role. Null for passthrough logins.
    /// </summary>
    [Id(30)] public string? Person { get; init; }

    /// <summary>What the tenant's policy did to this statement or login: denied, limited, masked, redacted; null when no rule applied.</summary>
    [Id(31)] public string? PolicyDecision { get; init; }

    /// <summary>The id of the rule that decided (<see cref="PolicyDecision"/>).</summary>
    [Id(32)] public string? PolicyRuleId { get; init; }

    /// <summary>The version of the policy that decided.</summary>
    [Id(33)] public int? PolicyVersion { get; init; }

    /// <summary>Lowercase hex SHA-256 of the policy document that decided.</summary>
    [Id(34)] public string? PolicyVersionHash { get; init; }
}
