using System.Buffers.Binary;
using System.Collections.Concurrent;
using Tenants.Abstractions.Audit;
using Tenants.PgWire;
using Tenants.Testing;
using Xunit.Abstractions;
using static Tenants.Edge.Tests.Proxy.ProxyHarness;

namespace Tenants.Edge.Tests.Proxy.Fuzz;

/// <summary>
/// Thousands of random and mutated frames, each on its own connection through the proxy, from the client side and
/// from a fake server's side, while a healthy session keeps running queries. The cases come from a seeded
/// <see cref="Random"/> (set <c>TENANTS_FUZZ_SEED</c> to explore, <c>TENANTS_FUZZ_CASES</c> to change the count);
/// a failure names the seed, the case and the mutation.
/// </summary>
[Collection(ProxyCollection.Name)]
public sealed class ProtocolFuzzTests(ITestOutputHelper output)
{
    private const int MaxMessageSize = 1 << 20;
    private const int Parallelism = 16;
    private const string InvalidServerMessage = "the database server sent an invalid message";

    private static readonly int _cases = int.TryParse(Environment.GetEnvironmentVariable("TENANTS_FUZZ_CASES"), out var n) ? n : 3000;
    private static readonly int? _seedOverride = int.TryParse(Environment.GetEnvironmentVariable("TENANTS_FUZZ_SEED"), out var s) ? s : null;

    [Fact]
    public async Task Proxy_MutatedStartupPackets_AnswersOrClosesEveryConnectionAndKeepsServing()
    {
        var seed = _seedOverride ?? 1001;
        var random = new Random(seed);
        var mutator = new FrameMutator(random, MaxMessageSize);
        var cases = Enumerable.Range(0, _cases).Select(i =>
        {
            var startup = PgFrontendMessages.Startup(StartupParameters($"startup-{i}"));
            return random.Next(10) == 0 ? RandomGarbage(random) : mutator.Mutate(startup, lengthOffset: 0, codeOffset: -1);
        }).ToList();

        await using var harness = await StartAsync(FuzzScript(new()), LongStartupTimeout);
        var failures = await RunAsync(harness, seed, cases.Count, async i =>
        {
            var (bytes, _) = cases[i];
            await using var client = await harness.ConnectAsync();
            await client.SendAsync(bytes);
            var length = bytes.Length >= 8 ? BinaryPrimitives.ReadInt32BigEndian(bytes) : (int?)null;
            if (bytes.Length > 0 && bytes[0] == 0x16)
            {
                // A first byte of 0x16 opens a TLS handshake (PostgreSQL 17 direct TLS): garbage fails it, and the
                // proxy closes (perhaps after a TLS alert), never answering in plaintext.
                client.ShutdownSend();
                var (_, tlsClosed, _) = await client.ReadToEndAsync(Patience);
                return tlsClosed ? null : "a failed direct-TLS handshake left the connection open";
            }

            if (length is < 8 or > ProtocolCodes.MaxStartupPacketLength)
            {
                // A bad length is answered at once: the startup timeout is 60 s, the wait here far shorter.
                var (answer, closed, _) = await client.ReadToEndAsync(Patience);
                return !closed ? "a startup packet with a bad length was neither answered nor closed"
                    : !answer.AsSpan().SequenceEqual(FrameWalk.Fatal(PostgresErrorCodes.ProtocolViolation, $"invalid length of startup packet: {length}"))
                        ? $"expected one 08P01 ErrorResponse, got {Convert.ToHexString(answer)}"
                        : null;
            }

            client.ShutdownSend();
            var (_, ended, _) = await client.ReadToEndAsync(Patience);
            return ended ? null : "the connection was still open after the client closed its side";
        }, d => cases[d].Description, d => cases[d].Bytes,

            // Bytes after a valid startup packet followed at once by the client's close can lose the session-end
            // event (the known bug in ClientCloseTests.Client_SendsHalfAMessageAndCloses_SessionAlwaysEndsWithAnEvent),
            // so that property is checked by the other two fuzz tests only.
            everySessionEnds: false);

        Assert.True(failures.Count == 0, $"{failures.Count} failing cases; the first:\n{string.Join("\n", failures.Take(5))}");
    }

    [Fact]
    public async Task Proxy_MutatedClientMessagesAfterLogin_ForwardsWholeMessagesAndRejectsBadLengthsWith08P01()
    {
        var seed = _seedOverride ?? 2002;
        var random = new Random(seed);
        var mutator = new FrameMutator(random, MaxMessageSize);
        var cases = Enumerable.Range(0, _cases).Select(_ =>
            random.Next(10) == 0 ? RandomGarbage(random) : mutator.Mutate(RandomMessages.Frontend(random), lengthOffset: 1, codeOffset: 0)).ToList();

        await using var harness = await StartAsync(FuzzScript(new()), NothingHeld);
        var failures = await RunAsync(harness, seed, cases.Count, async i =>
        {
            var (bytes, _) = cases[i];
            var name = $"client-{i}";
            var (client, _, upstream) = await harness.LoginAsync(name);
            await using var _client = client;
            var walk = FrameWalk.Of(bytes, MaxMessageSize);
            await client.SendAsync(bytes);
            if (walk.InvalidLength is { } invalid)
            {
                // Refused as soon as the header is in: nothing more is sent and the client keeps its side open.
                var expected = FrameWalk.Fatal(PostgresErrorCodes.ProtocolViolation, $"invalid message length {invalid}");
                var (answer, closed, _) = await client.ReadToEndAsync(Patience);
                if (!closed)
                {
                    return $"a message announcing {invalid} bytes was neither refused nor closed";
                }

                if (!answer.AsSpan().EndsWith(expected))
                {
                    return $"expected the answer to end with an 08P01 ErrorResponse, got {Convert.ToHexString(answer)}";
                }
            }
            else
            {
                // The client leaves once the server has every byte that is due, the start of an unfinished message
                // included. (Leaving earlier races the proxy: see ClientCloseTests.)
                await upstream.WaitForBytesAsync(walk.ForwardableBytes, Patience);
                await client.DisposeAsync();
            }

            await upstream.WaitForPeerCloseAsync(Patience);
            var received = upstream.Received.SelectMany(m => m.ToBytes()).ToArray();
            var whole = walk.Whole.SelectMany(m => m).ToArray();
            return received.AsSpan().SequenceEqual(whole) ? null
                : $"the server received {Convert.ToHexString(received)}, expected the whole messages {Convert.ToHexString(whole)}";
        }, d => cases[d].Description, d => cases[d].Bytes);

        Assert.True(failures.Count == 0, $"{failures.Count} failing cases; the first:\n{string.Join("\n", failures.Take(5))}");
    }

    [Fact]
    public async Task Proxy_MutatedServerMessages_ForwardsThemUnchangedOrEndsWith08P01AndCloses()
    {
        var seed = _seedOverride ?? 3003;
        var random = new Random(seed);
        var mutator = new FrameMutator(random, MaxMessageSize);
        var script = new ConcurrentDictionary<string, (byte[] Bytes, bool Close)>();
        var cases = Enumerable.Range(0, _cases).Select(_ =>
        {
            // Login messages as a server sends them, with one of them (or one more message after them) mutated.
            var login = new List<byte[]>
            {
                PgBackendMessages.AuthenticationOk(), PgBackendMessages.ParameterStatus("server_version", "15.0"),
                PgBackendMessages.BackendKeyData(random.Next(), random.Next()), PgBackendMessages.ReadyForQuery(),
            };
            var at = random.Next(2) == 0 ? login.Count : random.Next(login.Count);
            if (at == login.Count)
            {
                login.Add(RandomMessages.Backend(random));
            }

            var (mutated, how) = random.Next(10) == 0 ? RandomGarbage(random) : mutator.Mutate(login[at], lengthOffset: 1, codeOffset: 0);
            login[at] = mutated;
            return (Bytes: PgBackendMessages.Concat([.. login]), Description: $"message {at}: {how}", Close: random.Next(3) != 0);
        }).ToList();
        for (var i = 0; i < cases.Count; i++)
        {
            script[$"server-{i}"] = (cases[i].Bytes, cases[i].Close);
        }

        await using var harness = await StartAsync(FuzzScript(script), LongStartupTimeout);
        var failures = await RunAsync(harness, seed, cases.Count, async i =>
        {
            var (bytes, _, close) = cases[i];
            var walk = FrameWalk.Of(bytes, MaxMessageSize, fromServer: true);
            await using var client = await harness.ConnectAsync();
            await client.SendAsync(PgFrontendMessages.Startup(StartupParameters($"server-{i}")));
            byte[] expected = walk.InvalidLength is null
                ? bytes[..walk.ForwardableBytes]
                : [.. bytes[..walk.ValidPrefixBytes], .. FrameWalk.Fatal(PostgresErrorCodes.ProtocolViolation, InvalidServerMessage)];
            byte[] answer;
            bool closed;
            if (close || walk.InvalidLength is not null)
            {
                (answer, closed, _) = await client.ReadToEndAsync(Patience);
            }
            else
            {
                // The server stalls after its bytes: the client takes what is due, then leaves.
                var due = expected.Length == 0 ? [] : await client.ReadBytesAsync(expected.Length, Patience);
                client.ShutdownSend();
                var (rest, ended, _) = await client.ReadToEndAsync(Patience);
                (answer, closed) = ([.. due, .. rest], ended);
            }

            return !closed ? "the client connection was still open after the server was done"
                : !answer.AsSpan().SequenceEqual(expected) ? $"the client received {Convert.ToHexString(answer)}, expected {Convert.ToHexString(expected)}"
                : null;
        }, d => cases[d].Description, d => cases[d].Bytes);

        Assert.True(failures.Count == 0, $"{failures.Count} failing cases; the first:\n{string.Join("\n", failures.Take(5))}");
    }

    /// <summary>
    /// Framing is checked byte by byte as messages arrive, so no statement may be held for a durable event (which
    /// waits for the statement's text before forwarding any of it; DurabilityTests cover that).
    /// </summary>
    private static void NothingHeld(EdgeOptions options)
    {
        LongStartupTimeout(options);
        var durability = options.Endpoints.Single().Durability;
        durability.Write = durability.Ddl = durability.Dcl = durability.Other = DurabilityMode.Sequenced;
    }

    private static void LongStartupTimeout(EdgeOptions options)
    {
        options.StartupTimeout = TimeSpan.FromSeconds(60);
        options.MaxMessageSize = MaxMessageSize;
    }

    /// <summary>
    /// The fake for fuzzing: a connection named in <paramref name="serverCases"/> gets those bytes instead of a login,
    /// then the fake closes or stalls; the others are logged in and answered, except that Terminate from a client
    /// case does not close (so that every message after it still reaches the fake).
    /// </summary>
    private static PgFakeScript FuzzScript(ConcurrentDictionary<string, (byte[] Bytes, bool Close)> serverCases) => new()
    {
        OnStartup = async connection =>
        {
            if (serverCases.TryGetValue(connection.StartupParameter("application_name") ?? string.Empty, out var scripted))
            {
                await connection.SendAsync(scripted.Bytes);
                if (scripted.Close)
                {
                    connection.Close();
                }

                await connection.StallAsync();
                return;
            }

            await connection.SendLoginAsync();
        },
        OnMessage = (connection, message) => message.Kind == 'X' && connection.StartupParameter("application_name")!.StartsWith("client-", StringComparison.Ordinal)
            ? Task.CompletedTask
            : PgFakeScript.AnswerLikeAServerAsync(connection, message),
    };

    private static (byte[] Bytes, string Description) RandomGarbage(Random random)
    {
        var bytes = new byte[random.Next(1, 64)];
        random.NextBytes(bytes);
        return (bytes, "random bytes");
    }

    /// <summary>
    /// Runs the cases, <see cref="Parallelism"/> at a time, next to a healthy session; then checks that the proxy
    /// survived: still running, nothing logged as an error, the healthy session never failed, a new session works,
    /// and every session it accepted has ended with an event.
    /// </summary>
    private async Task<List<string>> RunAsync(ProxyHarness harness, int seed, int count, Func<int, Task<string?>> runCase, Func<int, string> describe, Func<int, byte[]> bytesOf, bool everySessionEnds = true)
    {
        var started = DateTime.UtcNow;
        var healthy = await HealthySession.StartAsync(harness, "healthy");
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, cancellationToken) =>
        {
            string? failure;
            try
            {
                failure = await runCase(i).WaitAsync(2 * Patience, cancellationToken);
            }
            catch (Exception ex)
            {
                failure = $"{ex.GetType().Name}: {ex.Message}";
            }

            if (failure is not null)
            {
                var hex = Convert.ToHexString(bytesOf(i).AsSpan(0, Math.Min(96, bytesOf(i).Length)));
                failures.Add($"seed {seed} case {i} ({describe(i)}; bytes {hex}): {failure}");
            }
        });

        var queries = await healthy.StopAsync();
        output.WriteLine($"{count} cases in {(DateTime.UtcNow - started).TotalSeconds:0.0} s; the fake accepted {harness.Server.Connections.Count} connections; the healthy session ran {queries} queries");
        Assert.Null(healthy.Failure);
        Assert.True(queries > 0);
        await harness.Edge.Audit.WaitForSessionEndAsync("healthy", Patience);
        await healthy.DisposeAsync();

        Assert.True(harness.Edge.IsRunning);
        Assert.Empty(harness.Edge.Logs.Errors);
        Assert.Empty(harness.Server.Faults);
        var (after, _, _) = await harness.LoginAsync("after");
        await using (after)
        {
            await after.SendAsync(PgFrontendMessages.Query("select 1"), PgFrontendMessages.Terminate());
            Assert.Equal("TDCZ", string.Concat((await after.ReadUntilAsync('Z', Patience)).Select(m => m.Kind)));
        }

        if (everySessionEnds)
        {
            await harness.Edge.Audit.WaitForAsync(_ => Unended(harness).Count == 0, Patience)
                .ContinueWith(t => Assert.True(t.IsCompletedSuccessfully, $"sessions without an end: {string.Join(", ", Unended(harness))}"), TaskScheduler.Default);
        }

        Assert.Equal(queries, harness.Edge.Audit.ForApplication("healthy").Count(e => e.Kind == AuditEventKind.Statement));
        return failures.Order(StringComparer.Ordinal).Take(10).ToList();
    }

    private static List<string> Unended(ProxyHarness harness)
    {
        var events = harness.Edge.Audit.Events;
        var ended = events.Where(e => e.Kind == AuditEventKind.SessionEnded).Select(e => e.SessionId).ToHashSet();
        return events.Where(e => e.Kind == AuditEventKind.ConnectionAccepted && !ended.Contains(e.SessionId))
            .Select(e => e.ApplicationName ?? e.SessionId).ToList();
    }
}
