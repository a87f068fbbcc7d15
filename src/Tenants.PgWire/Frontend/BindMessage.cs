using System.Buffers;

namespace Tenants.PgWire.Frontend;

/// <summary>Extended protocol Bind: which statement a portal runs. Parameter values are decoded elsewhere.</summary>
public readonly record struct BindMessage(string PortalName, string StatementName)
{
    public static bool TryParse(in ReadOnlySequence<byte> body, out BindMessage message)
    {
        var reader = new SequenceReader<byte>(body);
        var ok = PgReader.TryReadCString(ref reader, out var portal) & PgReader.TryReadCString(ref reader, out var statement);
        message = new BindMessage(portal, statement);
        return ok;
    }
}
