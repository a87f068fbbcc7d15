using System.Buffers;

namespace Tenants.PgWire.Backend;

/// <summary>The fields of an ErrorResponse or NoticeResponse that the audit trail keeps.</summary>
public readonly record struct ErrorResponseMessage(string Severity, string SqlState, string Message)
{
    public static bool TryParse(in ReadOnlySequence<byte> body, out ErrorResponseMessage message)
    {
        var reader = new SequenceReader<byte>(body);
        string severity = string.Empty, localized = string.Empty, code = string.Empty, text = string.Empty;
        while (reader.TryRead(out var field) && field != 0)
        {
            if (!PgReader.TryReadCString(ref reader, out var value))
            {
                message = default;
                return false;
            }

            switch (field)
            {
                case (byte)'V': severity = value; break;
                case (byte)'S': localized = value; break;
                case (byte)'C': code = value; break;
                case (byte)'M': text = value; break;
            }
        }

        message = new ErrorResponseMessage(severity.Length > 0 ? severity : localized, code, text);
        return true;
    }
}
