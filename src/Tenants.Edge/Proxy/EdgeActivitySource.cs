using System.Diagnostics;

namespace Tenants.Edge.Proxy;

/// <summary>
/// The edge's traces (<c>Tenants.Edge</c>): one span per connection to an upstream database, where a login's time goes
/// when a database is slow or unreachable. Statements are not traced one by one (tens of thousands a second); their
/// counts and durations are metrics (<c>tenants.edge.statements</c>, <c>tenants.edge.statement.duration</c>).
/// </summary>
internal static class EdgeActivitySource
{
    public static readonly ActivitySource Source = new("Tenants.Edge");
}
