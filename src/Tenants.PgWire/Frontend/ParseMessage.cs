using System.Buffers;

namespace Tenants.PgWire.Frontend;

/// <summary>Extended protocol Parse: a (possibly unnamed) prepared statement, its SQL and the parameter types the client named.</summary>
public readonly record struct ParseMessage(string StatementName, string Sql, IReadOnlyList<uint> ParameterTypes)
{
    public static bool TryParse(in ReadOnlySequence<byte> body, out ParseMessage message)
    {
        var reader = new SequenceReader<byte>(body);
        var ok = PgReader.TryReadCString(ref reader, out var name) & PgReader.TryReadCString(ref reader, out var sql);
        var types = new List<uint>();
        if (ok && reader.TryReadBigEndian(out short count))
        {
            for (var i = 0; i < count && reader.TryReadBigEndian(out int oid); i++)
            {
                types.Add(unchecked((uint)oid));
            }
        }

        message = new ParseMessage(name, sql, types);
        return ok;
    }
}
