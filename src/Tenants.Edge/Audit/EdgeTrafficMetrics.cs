using System.Diagnostics.Metrics;
using Tenants.Abstractions.Audit;

namespace Tenants.Edge.Audit;

/// <summary>
/// What the edge sees of its clients, counted from the audit events every session emits (so the numbers are the ones
/// the ledger records): connections, logins, statements by class and outcome, their duration and bytes. Instruments of
/// the <c>Tenants.Edge</c> meter; tags are bounded (class, outcome, direction), never a tenant, user or statement.
/// </summary>
internal sealed class EdgeTrafficMetrics
{
    private static readonly KeyValuePair<string, object?> Accepted = new("outcome", "accepted");
    private static readonly KeyValuePair<string, object?> Refused = new("outcome", "refused");
    private static readonly KeyValuePair<string, object?> Succeeded = new("outcome", "succeeded");
    private static readonly KeyValuePair<string, object?> Failed = new("outcome", "failed");
    private static readonly KeyValuePair<string, object?> FromClient = new("direction", "from_client");
    private static readonly KeyValuePair<string, object?> FromServer = new("direction", "from_server");

    private readonly Counter<long> _connections;
    private readonly Counter<long> _logins;
    private readonly Counter<long> _statements;
    private readonly Histogram<double> _statementDuration;
    private readonly Counter<long> _bytes;

    public EdgeTrafficMetrics(Meter meter, Func<int> activeConnections)
    {
        _connections = meter.CreateCounter<long>("tenants.edge.connections", "{connection}", "Client connections for an endpoint (outcome: accepted, refused).");
        _logins = meter.CreateCounter<long>("tenants.edge.logins", "{login}", "Logins through the edge (outcome: succeeded, failed).");
        _statements = meter.CreateCounter<long>("tenants.edge.statements", "{statement}",
            "Statements answered through the edge (class: read, write, ddl, dcl, tcl, other, unknown; outcome: ok, error, blocked).");
        _statementDuration = meter.CreateHistogram<double>("tenants.edge.statement.duration", "s", "Time from a statement's first byte to its completion (class).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _bytes = meter.CreateCounter<long>("tenants.edge.bytes", "By", "Bytes relayed by ended sessions (direction: from_client, from_server).");
        meter.CreateObservableGauge("tenants.edge.connections.active", activeConnections, "{connection}", "Client connections being proxied now.");
    }

    public void Observe(AuditEvent auditEvent)
    {
        switch (auditEvent.Kind)
        {
            case AuditEventKind.Statement:
                var statementClass = new KeyValuePair<string, object?>("class", auditEvent.StatementClass ?? "unknown");
                var outcome = auditEvent.PolicyDecision == "denied" ? "blocked" : auditEvent.SqlState is null ? "ok" : "error";
                _statements.Add(1, statementClass, new KeyValuePair<string, object?>("outcome", outcome));
                if (auditEvent.DurationMicros is { } micros)
                {
                    _statementDuration.Record(micros / 1_000_000d, statementClass);
                }

                break;
            case AuditEventKind.ConnectionAccepted:
                _connections.Add(1, Accepted);
                break;
            case AuditEventKind.ConnectionRefused:
                _connections.Add(1, Refused);
                break;
            case AuditEventKind.LoginSucceeded:
                _logins.Add(1, Succeeded);
                break;
            case AuditEventKind.LoginFailed:
                _logins.Add(1, Failed);
                break;
            case AuditEventKind.SessionEnded:
                _bytes.Add(auditEvent.BytesFromClient ?? 0, FromClient);
                _bytes.Add(auditEvent.BytesFromServer ?? 0, FromServer);
                break;
        }
    }
}
