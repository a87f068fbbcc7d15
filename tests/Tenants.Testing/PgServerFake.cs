using System.Net;
using System.Net.Sockets;
using Tenants.PgWire.Frontend;

namespace Tenants.Testing;

/// <summary>
/// A scripted stand-in for a PostgreSQL server, for protocol edge cases a real server will not produce on demand:
/// notices between queries, errors in the middle of a pipeline, garbage, huge lengths, stalls, connections closed in
/// the middle of a message. It listens on a free port of 127.0.0.1 and, for each connection, reads the startup phase
/// (answering SSLRequest with <c>N</c>), runs the <see cref="PgFakeScript"/> and records what the client sent.
/// It is a fake: it checks no password, runs no SQL and knows nothing of transactions.
/// </summary>
public sealed class PgServerFake : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConditionSignal _signal = new();
    private readonly Lock _lock = new();
    private readonly List<PgFakeConnection> _connections = [];
    private readonly List<Exception> _faults = [];
    private readonly Task _acceptLoop;

    private PgServerFake(PgFakeScript script)
    {
        Script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    /// <summary>The address the fake listens on.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The port the fake listens on (chosen by the operating system, so it was free).</summary>
    public int Port { get; }

    /// <summary>What the fake does on each connection.</summary>
    public PgFakeScript Script { get; }

    /// <summary>The connections accepted so far, in order.</summary>
    public IReadOnlyList<PgFakeConnection> Connections
    {
        get
        {
            lock (_lock)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Exceptions thrown by script callbacks (other than the client going away); a test should expect none.</summary>
    public IReadOnlyList<Exception> Faults
    {
        get
        {
            lock (_lock)
            {
                return [.. _faults];
            }
        }
    }

    /// <summary>Starts listening. Without a script, every client is logged in and answered like a server.</summary>
    public static PgServerFake Start(PgFakeScript? script = null) => new(script ?? PgFakeScript.Default);

    /// <summary>Waits for a connection that matches <paramref name="predicate"/>, accepted before or after the call.</summary>
    public Task<PgFakeConnection> WaitForConnectionAsync(Func<PgFakeConnection, bool> predicate, TimeSpan timeout) =>
        _signal.WaitAsync(
            () => Connections.FirstOrDefault(predicate),
            timeout,
            () => $"no such connection among the {Connections.Count} accepted");

    /// <summary>Waits for the connection whose StartupMessage carries this <c>application_name</c>.</summary>
    public Task<PgFakeConnection> WaitForApplicationAsync(string applicationName, TimeSpan timeout) =>
        WaitForConnectionAsync(c => c.StartupParameter("application_name") == applicationName, timeout);

    /// <summary>Waits for a connection that sent a CancelRequest quoting <paramref name="key"/>.</summary>
    public Task<PgFakeConnection> WaitForCancelRequestAsync(byte[] key, TimeSpan timeout) =>
        WaitForConnectionAsync(
            c => c.Startup is { Kind: StartupPacketKind.CancelRequest } startup && startup.CancelKey.Span.SequenceEqual(key),
            timeout);

    /// <summary>
    /// Waits until the fake has seen every connection made to it before this call: it connects a probe of its own
    /// (accepted after all of them, since connections are accepted in order) and waits until each earlier connection
    /// has sent its startup packet or closed. Returns those earlier connections. Use it to show that something was
    /// <em>not</em> sent (a CancelRequest that must not be forwarded) without sleeping. The probe stays in
    /// <see cref="Connections"/>, with no startup packet.
    /// </summary>
    public async Task<IReadOnlyList<PgFakeConnection>> SettleAsync(TimeSpan timeout)
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await probe.ConnectAsync(Host, Port).ConfigureAwait(false);
        var probePort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        var accepted = await WaitForConnectionAsync(c => (c.RemoteEndPoint as IPEndPoint)?.Port == probePort, timeout).ConfigureAwait(false);
        var earlier = Connections.Take(accepted.Index).ToList();
        return await _signal.WaitAsync(
            () => earlier.All(c => c.Startup is not null || c.PeerClosed.IsCompleted) ? earlier : null,
            timeout,
            () => "connections accepted before the probe did not settle").ConfigureAwait(false);
    }

    /// <summary>Stops listening, closes every connection and waits (briefly) for them to wind down.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var connection in Connections)
        {
            connection.Abort();
        }

        var all = Connections.Select(c => c.Completion).Append(_acceptLoop);
        await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            lock (_lock)
            {
                _connections.Add(new PgFakeConnection(socket, _connections.Count, Script, Fault, _signal.Pulse, _stopping.Token));
            }

            _signal.Pulse();
        }
    }

    private void Fault(Exception exception)
    {
        lock (_lock)
        {
            _faults.Add(exception);
        }
    }
}
