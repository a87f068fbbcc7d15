namespace Tenants.Edge.Policy;

/// <summary>A tenant's policy could not be loaded and this node has none for it yet: the connection is refused (SQLSTATE 57P03).</summary>
public sealed class EdgePolicyUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
