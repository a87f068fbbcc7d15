using System.Globalization;
using Tenants.Abstractions.Audit;

namespace Tenants.Bench.LedgerStorage;

/// <summary>
/// Statement events as an OLTP application produces them: sessions of a few dozen statements, a mix of reads, writes
/// and transaction control, simple and extended protocol (with bound parameters), varied literals. Seeded, so every
/// run writes the same bytes.
/// </summary>
internal sealed class StatementEvents(int seed)
{
    private static readonly string[] Users = ["app", "app_ro", "reporting", "billing_svc", "migrator"];
    private static readonly string[] Applications = ["orders-api", "billing-worker", "psql", "metabase", "PostgreSQL JDBC Driver"];
    private static readonly string[] Statuses = ["pending", "paid", "shipped", "cancelled", "refunded"];
    private static readonly string[] Cities = ["Zürich", "Lyon", "Kraków", "Porto", "Göteborg", "Austin", "Osaka"];

    private readonly Random _random = new(seed);
    private DateTimeOffset _time = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private string _session = string.Empty;
    private string _client = string.Empty;
    private string _user = string.Empty;
    private string _application = string.Empty;
    private int _left;

    public AuditEvent Next(string tenantId)
    {
        if (_left-- <= 0)
        {
            _left = _random.Next(5, 80);
            _session = Ulid.New(_time);
            _client = string.Create(CultureInfo.InvariantCulture, $"10.{_random.Next(256)}.{_random.Next(256)}.{_random.Next(1, 255)}:{_random.Next(32768, 61000)}");
            _user = Users[_random.Next(Users.Length)];
            _application = Applications[_random.Next(Applications.Length)];
        }

        _time = _time.AddTicks(_random.Next(1, 20_000));
        var (sql, statementClass, tag, rows, parameters) = Statement();
        return new AuditEvent
        {
            EventId = Ulid.New(_time),
            Kind = AuditEventKind.Statement,
            Time = _time,
            TenantId = tenantId,
            EndpointId = "ep-main",
            SessionId = _session,
            ClientAddress = _client,
            ProxyNode = "edge-1",
            DatabaseUser = _user,
            Database = "shop",
            ApplicationName = _application,
            Protocol = parameters is null ? "simple" : "extended",
            Sql = sql,
            StatementClass = statementClass,
            CommandTag = tag,
            Rows = rows,
            DurationMicros = _random.Next(40, 25_000),
            Parameters = parameters,
        };
    }

    private (string Sql, string Class, string Tag, long Rows, IReadOnlyList<string?>? Parameters) Statement()
    {
        var id = _random.Next(1, 5_000_000);
        var customer = _random.Next(1, 400_000);
        switch (_random.Next(10))
        {
            case 0:
                return ("SELECT id, email, display_name, created_at FROM customers WHERE id = $1", "read", "SELECT 1", 1, [I(customer)]);
            case 1:
                var limit = _random.Next(10, 200);
                return (
                    $"SELECT o.id, o.total_cents, o.status, c.display_name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.created_at >= '2026-11-{_random.Next(1, 23):D2}' AND o.status = '{Statuses[_random.Next(Statuses.Length)]}' ORDER BY o.created_at DESC LIMIT {limit}",
                    "read", $"SELECT {limit}", limit, null);
            case 2:
                return ("UPDATE orders SET status = $1, updated_at = now() WHERE id = $2", "write", "UPDATE 1", 1, [Statuses[_random.Next(Statuses.Length)], I(id)]);
            case 3:
                return (
                    "INSERT INTO order_lines (order_id, sku, quantity, unit_price_cents, note) VALUES ($1, $2, $3, $4, $5)",
                    "write", "INSERT 0 1", 1,
                    [I(id), $"SKU-{_random.Next(100_000):D6}", I(_random.Next(1, 9)), I(_random.Next(99, 250_000)), _random.Next(4) == 0 ? $"deliver to {Cities[_random.Next(Cities.Length)]}" : null]);
            case 4:
                return ("BEGIN", "tcl", "BEGIN", 0, null);
            case 5:
                return ("COMMIT", "tcl", "COMMIT", 0, null);
            case 6:
                var found = _random.Next(0, 30);
                return (
                    $"SELECT p.sku, p.title, p.price_cents, i.on_hand FROM products p LEFT JOIN inventory i ON i.sku = p.sku WHERE p.title ILIKE '%{Word()}%' AND p.active ORDER BY p.title LIMIT 30",
                    "read", $"SELECT {found}", found, null);
            case 7:
                return ("INSERT INTO audit_trail (actor, action, payload) VALUES ($1, $2, $3::jsonb)", "write", "INSERT 0 1", 1,
                    [_user, "checkout", $"{{\"cart\":{id},\"items\":{_random.Next(1, 12)},\"city\":\"{Cities[_random.Next(Cities.Length)]}\"}}"]);
            case 8:
                var deleted = _random.Next(0, 500);
                return ($"DELETE FROM sessions WHERE expires_at < now() - interval '{_random.Next(1, 30)} days'", "write", $"DELETE {deleted}", deleted, null);
            default:
                return ("SELECT count(*) FROM orders WHERE customer_id = $1 AND status <> 'cancelled'", "read", "SELECT 1", 1, [I(customer)]);
        }
    }

    private string Word() => new[] { "lamp", "chair", "desk", "cable", "mug", "shelf", "plant", "rug" }[_random.Next(8)];

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
