using System.Buffers;

namespace Tenants.PgWire.Frontend;

/// <summary>A simple-protocol Query: one string that may hold several statements.</summary>
public readonly record struct QueryMessage(string Sql)
{
    public static bool TryParse(in ReadOnlySequence<byte> body, out QueryMessage message)
    {
        var reader = new SequenceReader<byte>(body);
        var ok = PgReader.TryReadCString(ref reader, out var sql);
        message = new QueryMessage(sql);
        return ok;
    }
}
