namespace Tenants.Edge.Tests.Proxy;

/// <summary>
/// Tests that run the proxy over real sockets share this collection, so that they run one class at a time: the fuzz
/// tests load both cores, and the allocation and timing bounds of the others hold only on a quiet process.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProxyCollection
{
    public const string Name = "Proxy over sockets";
}
