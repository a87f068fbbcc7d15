using System.Buffers;

namespace Tenants.PgWire.Frontend;

/// <summary>
/// Extended protocol Bind: which statement a portal runs, and the parameter values (copied out of the buffer; null
/// for SQL NULL) with their format codes (0 text, 1 binary). <see cref="Complete"/> is false when the body was cut
/// short (a capture limit), in which case the values read so far are kept.
/// </summary>
public sealed record BindMessage(string PortalName, string StatementName, IReadOnlyList<short> Formats, IReadOnlyList<byte[]?> Values, bool Complete)
{
    /// <summary>The format code of parameter <paramref name="index"/> (one code for all, or one each, or text).</summary>
    public short FormatOf(int index) => PgReader.FormatOf(Formats, index);

    public static bool TryParse(in ReadOnlySequence<byte> body, out BindMessage? message)
    {
        var reader = new SequenceReader<byte>(body);
        message = null;
        if (!PgReader.TryReadCString(ref reader, out var portal) || !PgReader.TryReadCString(ref reader, out var statement))
        {
            return false;
        }

        var formats = new List<short>();
        var values = new List<byte[]?>();
        var complete = PgReader.TryReadFormatCodes(ref reader, formats) && PgReader.TryReadValues(ref reader, values);
        message = new BindMessage(portal, statement, formats, values, complete);
        return true;
    }
}
