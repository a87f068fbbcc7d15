namespace Tenants.Abstractions.Audit;

/// <summary>What happened. The names are stored in the ledger: never rename one.</summary>
[GenerateSerializer]
[Alias("tenants.audit-event-kind.v1")]
public enum AuditEventKind
{
    /// <summary>A client connection reached an endpoint and was passed upstream.</summary>
    ConnectionAccepted = 1,

    /// <summary>A client connection was refused before it reached the database, with the reason.</summary>
    ConnectionRefused = 2,

    /// <summary>The upstream server accepted the login.</summary>
    LoginSucceeded = 3,

    /// <summary>The upstream server refused the login.</summary>
    LoginFailed = 4,

    /// <summary>A statement ran (or failed) through the proxy.</summary>
    Statement = 5,

    /// <summary>The session ended.</summary>
    SessionEnded = 6,

    /// <summary>
    /// A statement whose endpoint and class ask for durable auditing was recorded before it went upstream; its
    /// result follows as a <see cref="Statement"/> event of the same session.
    /// </summary>
    StatementSubmitted = 7,

    /// <summary>
    /// What a session's entries add up to (counts, leaf range and digest), appended once by its session grain when the
    /// session ended or went idle; <see cref="AuditEvent.Summary"/> carries it.
    /// </summary>
    SessionSummary = 8,

    /// <summary>
    /// The tenant's configuration changed (account, endpoint, member, key or policy): <see cref="AuditEvent.Message"/>
    /// says what and by whom. Not a session event: see docs/ledger-format.md for how its session fields are filled.
    /// </summary>
    TenantChanged = 9,
}
