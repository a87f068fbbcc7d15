using System.Collections.Concurrent;

namespace Tenants.Edge.Proxy;

/// <summary>
/// Maps the BackendKeyData of live sessions to their upstream server, so that a CancelRequest (which arrives on a
/// new connection carrying only the key) reaches the server that owns the backend.
/// </summary>
internal sealed class CancelKeyRegistry
{
    private readonly ConcurrentDictionary<string, CancelTarget> _targets = new(StringComparer.Ordinal);

    public void Register(ReadOnlySpan<byte> key, CancelTarget target) => _targets[Convert.ToHexString(key)] = target;

    public void Remove(ReadOnlySpan<byte> key) => _targets.TryRemove(Convert.ToHexString(key), out _);

    public CancelTarget? Find(ReadOnlySpan<byte> key) => _targets.GetValueOrDefault(Convert.ToHexString(key));
}
