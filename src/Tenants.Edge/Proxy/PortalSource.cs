namespace Tenants.Edge.Proxy;

/// <summary>The prepared statement a portal was bound to, and which definition of that name (Parse can replace it).</summary>
internal sealed record PortalSource(string Statement, int Generation);
