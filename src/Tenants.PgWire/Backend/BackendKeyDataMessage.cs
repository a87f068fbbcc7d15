using System.Buffers;

namespace Tenants.PgWire.Backend;

/// <summary>
/// BackendKeyData: the process id and secret key a client quotes in a CancelRequest. The raw bytes are kept as sent
/// (protocol 3.2 allows keys longer than four bytes).
/// </summary>
public sealed record BackendKeyDataMessage(int ProcessId, byte[] CancelKey)
{
    public static bool TryParse(in ReadOnlySequence<byte> body, out BackendKeyDataMessage? message)
    {
        message = null;
        if (body.Length < 8 || body.Length > 4 + 256)
        {
            return false;
        }

        var reader = new SequenceReader<byte>(body);
        reader.TryReadBigEndian(out int pid);
        message = new BackendKeyDataMessage(pid, body.ToArray());
        return true;
    }
}
