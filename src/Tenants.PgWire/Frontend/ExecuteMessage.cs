using System.Buffers;

namespace Tenants.PgWire.Frontend;

/// <summary>Extended protocol Execute: run a portal, returning at most <see cref="MaxRows"/> rows (0 = all).</summary>
public readonly record struct ExecuteMessage(string PortalName, int MaxRows)
{
    public static bool TryParse(in ReadOnlySequence<byte> body, out ExecuteMessage message)
    {
        var reader = new SequenceReader<byte>(body);
        var ok = PgReader.TryReadCString(ref reader, out var portal) & reader.TryReadBigEndian(out int maxRows);
        message = new ExecuteMessage(portal, maxRows);
        return ok;
    }
}
