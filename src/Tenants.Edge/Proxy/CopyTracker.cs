using System.Buffers;
using System.Security.Cryptography;

namespace Tenants.Edge.Proxy;

/// <summary>Counts and hashes the CopyData of one COPY as it streams through, without keeping it.</summary>
internal sealed class CopyTracker(string direction) : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _bytes;

    /// <summary><c>in</c> (client to server) or <c>out</c>.</summary>
    public string Direction { get; } = direction;

    public void Append(in ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            _hash.AppendData(segment.Span);
        }

        _bytes += data.Length;
    }

    public CopySummary Finish() => new(Direction, _bytes, Convert.ToHexStringLower(_hash.GetHashAndReset()));

    public void Dispose() => _hash.Dispose();
}
