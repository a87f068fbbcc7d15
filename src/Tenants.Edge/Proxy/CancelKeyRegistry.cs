using System.Collections.Concurrent;

namespace Tenants.Edge.Proxy;

/// <summary>
/// Maps the BackendKeyData of live sessions to their upstream server, so that a CancelRequest (which arrives on a
/// new connection carrying only the key) reaches the server that owns the backend.
/// </summary>
internal sealed class CancelKeyRegistry
{
    private readonly ConcurrentDictionary<string, CancelTarget> _targets = new(StringComparer.Ordinal);

    /// <summary>
    /// Routes <paramref name="key"/> to <paramref name="target"/> unless another live session already holds that key
    /// (a server must not be able to take over another session's cancel route).
    /// </summary>
    public bool Register(ReadOnlySpan<byte> key, CancelTarget target) => _targets.TryAdd(Convert.ToHexString(key), target);

    /// <summary>Forgets <paramref name="key"/> if it still routes to <paramref name="target"/>.</summary>
    public void Remove(ReadOnlySpan<byte> key, CancelTarget target) =>
        _targets.TryRemove(KeyValuePair.Create(Convert.ToHexString(key), target));

    public CancelTarget? Find(ReadOnlySpan<byte> key) => _targets.GetValueOrDefault(Convert.ToHexString(key));
}
