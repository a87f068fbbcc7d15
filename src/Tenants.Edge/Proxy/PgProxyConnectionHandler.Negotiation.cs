using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Authentication;
using Tenants.Edge.Tls;
using Tenants.PgWire;
using Tenants.PgWire.Backend;
using Tenants.PgWire.Frontend;

namespace Tenants.Edge.Proxy;

internal sealed partial class PgProxyConnectionHandler
{
    /// <summary>The first byte of a TLS handshake record: a PostgreSQL 17 client using direct TLS.</summary>
    private const byte TlsHandshakeRecord = 0x16;

    /// <summary>
    /// Reads the startup phase: encryption requests (answered, and TLS started when enabled), cancel requests
    /// (forwarded), and finally the StartupMessage, which is returned. Null when the connection is done already.
    /// </summary>
    private async Task<StartupPacket?> NegotiateAsync(ClientTransport client, EdgeOptions settings, CancellationToken closed)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(closed);
        timeout.CancelAfter(settings.StartupTimeout);
        var first = true;
        try
        {
            while (true)
            {
                var input = client.Pipe.Input;
                var result = await input.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                if (first && !buffer.IsEmpty && buffer.FirstSpan[0] == TlsHandshakeRecord)
                {
                    input.AdvanceTo(buffer.Start);
                    first = false;
                    if (!await TryStartTlsAsync(client, settings, requireAlpn: true, timeout.Token))
                    {
                        return null;
                    }

                    continue;
                }

                first = false;
                StartupParseStatus status;
                StartupPacket? packet;
                bool trailingBytes;
                var consumed = buffer.Start;
                try
                {
                    var reader = new SequenceReader<byte>(buffer);
                    status = StartupPacketReader.TryRead(ref reader, out packet);
                    trailingBytes = reader.Remaining > 0;
                    if (status == StartupParseStatus.Complete)
                    {
                        consumed = reader.Position;
                    }
                }
                finally
                {
                    input.AdvanceTo(consumed, buffer.End);
                }

                if (status == StartupParseStatus.NeedMoreData)
                {
                    if (result.IsCompleted)
                    {
                        return null;
                    }

                    continue;
                }

                if (status == StartupParseStatus.Invalid)
                {
                    await FailAsync(client.Pipe.Output, PostgresErrorCodes.ProtocolViolation, packet!.Error!);
                    return null;
                }

                switch (packet!.Kind)
                {
                    case StartupPacketKind.SslRequest or StartupPacketKind.GssEncRequest when client.IsTls:
                        await FailAsync(client.Pipe.Output, PostgresErrorCodes.ProtocolViolation, "encryption requested on an encrypted connection");
                        return null;
                    case StartupPacketKind.SslRequest when settings.Tls.Enabled:
                        if (trailingBytes)
                        {
                            // Bytes sent before the handshake would be taken as if they came over TLS (CVE-2021-23214).
                            await FailAsync(client.Pipe.Output, PostgresErrorCodes.ProtocolViolation, "received unencrypted data after SSL request");
                            return null;
                        }

                        await WriteByteAsync(client, SingleByteResponse.Accept, timeout.Token);
                        if (!await TryStartTlsAsync(client, settings, requireAlpn: false, timeout.Token))
                        {
                            return null;
                        }

                        continue;
                    case StartupPacketKind.SslRequest:
                    case StartupPacketKind.GssEncRequest:
                        await WriteByteAsync(client, SingleByteResponse.Refuse, timeout.Token);
                        continue;
                    case StartupPacketKind.CancelRequest:
                        await ForwardCancelAsync(packet, settings, closed);
                        return null;
                    default:
                        return packet;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !closed.IsCancellationRequested)
        {
            await FailAsync(client.Pipe.Output, PostgresErrorCodes.ProtocolViolation, "timeout waiting for the startup packet");
            return null;
        }
    }

    private async Task<bool> TryStartTlsAsync(ClientTransport client, EdgeOptions settings, bool requireAlpn, CancellationToken cancellationToken)
    {
        if (!settings.Tls.Enabled)
        {
            // A direct-TLS client cannot read a plaintext error; PostgreSQL closes the connection too.
            return false;
        }

        try
        {
            await client.StartTlsAsync(certificates, requireAlpn, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            LogTlsFailed(ex.Message);
            return false;
        }
    }

    private static async Task WriteByteAsync(ClientTransport client, byte value, CancellationToken cancellationToken)
    {
        client.Pipe.Output.GetSpan(1)[0] = value;
        client.Pipe.Output.Advance(1);
        await client.Pipe.Output.FlushAsync(cancellationToken);
    }

    private async Task ForwardCancelAsync(StartupPacket packet, EdgeOptions settings, CancellationToken cancellationToken)
    {
        var target = cancelKeys.Find(packet.CancelKey.Span);
        if (target is null)
        {
            // PostgreSQL answers nothing to an unknown key either: a cancel must not reveal which keys exist.
            return;
        }

        try
        {
            using var socket = await UpstreamConnector.OpenSocketAsync(target.Host, target.Port, settings.UpstreamConnectTimeout, cancellationToken);
            var request = new byte[8 + packet.CancelKey.Length];
            BinaryPrimitives.WriteInt32BigEndian(request, request.Length);
            BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(4), ProtocolCodes.CancelRequest);
            packet.CancelKey.Span.CopyTo(request.AsSpan(8));
            await socket.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            LogCancelFailed(target.Host, target.Port, ex.Message);
        }
    }
}
