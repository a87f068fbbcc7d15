using System.Buffers;

namespace Tenants.PgWire.Frontend;

/// <summary>Extended protocol Parse: a (possibly unnamed) prepared statement and its SQL.</summary>
public readonly record struct ParseMessage(string StatementName, string Sql)
{
    public static bool TryParse(in ReadOnlySequence<byte> body, out ParseMessage message)
    {
        var reader = new SequenceReader<byte>(body);
        var ok = PgReader.TryReadCString(ref reader, out var name) & PgReader.TryReadCString(ref reader, out var sql);
        message = new ParseMessage(name, sql);
        return ok;
    }
}
