namespace Tenants.Edge.Proxy;

/// <summary>The upstream server that owns a cancel key.</summary>
internal sealed record CancelTarget(string Host, int Port);
