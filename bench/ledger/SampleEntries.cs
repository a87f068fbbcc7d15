using Tenants.Abstractions.Audit;
using Tenants.Ledger.Entries;

namespace Tenants.Bench.Ledger;

/// <summary>
/// Realistic ledger entries: statement events as the edge records them for a pgbench-like TPC-B workload, with the
/// session, client, command tag, duration and bound parameters filled in.
/// </summary>
internal static class SampleEntries
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Statements =
    [
        "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;",
        "SELECT abalance FROM pgbench_accounts WHERE aid = $1;",
        "UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2;",
        "UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2;",
        "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP);",
        "SELECT o.id, o.total, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.created_at > $1 ORDER BY o.created_at DESC LIMIT 50",
    ];

    /// <summary>The entry at leaf <paramref name="index"/> of <paramref name="tenantId"/>'s ledger.</summary>
    public static byte[] Entry(string origin, string tenantId, long index)
    {
        var sql = Statements[index % Statements.Length];
        var time = Start.AddTicks(index * 1_337);
        var auditEvent = new AuditEvent
        {
            EventId = $"01JD{index:D22}",
            Kind = AuditEventKind.Statement,
            Time = time,
            TenantId = tenantId,
            EndpointId = "ep-main",
            SessionId = $"01JDSESSION{index / 1000:D15}",
            ClientAddress = $"10.0.{index % 7}.{index % 250}:5{index % 10000:D4}",
            ProxyNode = "edge-1",
            DatabaseUser = "app",
            Database = "shop",
            ApplicationName = "pgbench",
            Sql = sql,
            StatementClass = sql.StartsWith("SELECT", StringComparison.Ordinal) ? "read" : "write",
            CommandTag = sql.StartsWith("SELECT", StringComparison.Ordinal) ? "SELECT 1" : sql.StartsWith("INSERT", StringComparison.Ordinal) ? "INSERT 0 1" : "UPDATE 1",
            Rows = 1,
            DurationMicros = 80 + (index % 900),
            Parameters = [(index % 5000 - 2500).ToString(System.Globalization.CultureInfo.InvariantCulture), (index % 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture)],
        };
        var header = new LedgerEntryHeader(origin, tenantId, index, time, AuditEventJson.KindName(auditEvent.Kind));
        return LedgerEntryWriter.Write(header, writer => AuditEventJson.WriteBody(writer, auditEvent));
    }
}
