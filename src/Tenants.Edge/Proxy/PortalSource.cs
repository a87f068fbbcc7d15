namespace Tenants.Edge.Proxy;

/// <summary>
/// What the client's Bind made of a portal: the prepared statement it was bound to, which definition of that name
/// (Parse can replace it), and which Bind it was (a session-wide serial from 1), so a row limit counts across Executes
/// resumed on the same portal.
/// </summary>
internal sealed record PortalSource(string Statement, int Generation, long Bind);
