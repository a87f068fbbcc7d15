using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Tenants.Edge.Policy;
using Tenants.Edge.Tests.Hosting;
using Tenants.PgWire;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Policy;

/// <summary>
/// Row limits in protocol flows that psql and Npgsql do not produce (an Execute with a row count resumed on the same
/// portal; a COPY FROM STDIN later in a pipeline cut by a limit), played by a fake that answers as PostgreSQL does:
/// a table of ten rows, portals that suspend, and a copy-in that ignores Sync until CopyFail.
/// </summary>
public sealed class RowLimitProtocolTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<PgFakeConnection, FakeState> _states = new();
    private readonly EdgePolicyProviderStandIn _policies = new();
    private PgServerFake? _server;
    private EdgeTestHost? _edge;

    [Fact]
    public async Task ExecuteWithARowCount_ResumedOnTheSamePortal_CountsOn_AndTheLimitEndsIt()
    {
        await using var client = await LoginAsync("resumed");

        await client.SendAsync(PgFrontendMessages.Parse("", "select n from t"), PgFrontendMessages.Bind("", ""), PgFrontendMessages.Execute("", 2), PgFrontendMessages.Flush());
        var first = await client.ReadUntilAsync('s', Patience);
        await client.SendAsync(PgFrontendMessages.Execute("", 2), PgFrontendMessages.Sync());
        var second = await client.ReadUntilAsync('Z', Patience);

        Assert.Equal("12DDs", Kinds(first));
        Assert.Equal("DEZ", Kinds(second));
        Assert.Equal("54000", second[1].SqlState);
        Assert.Contains("more than 3 rows", second[1].Fields()['M'], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyFromStdinLaterInAPipelineCutByALimit_IsFailedByTheProxy_NothingHangs_TheSessionGoesOn()
    {
        await using var client = await LoginAsync("copy-after");

        await client.SendAsync(
            PgFrontendMessages.Parse("", "select n from t"), PgFrontendMessages.Bind("", ""), PgFrontendMessages.Execute(""),
            PgFrontendMessages.Parse("", "copy t from stdin"), PgFrontendMessages.Bind("", ""), PgFrontendMessages.Execute(""),
            PgFrontendMessages.Sync());
        var answer = await client.ReadUntilAsync('Z', Patience);
        var upstream = await _server!.WaitForApplicationAsync("copy-after", Patience);
        await upstream.WaitForMessageAsync('f', Patience);
        await client.SendAsync(PgFrontendMessages.Query("select 1"));
        var next = await client.ReadUntilAsync('Z', Patience);

        Assert.Equal("12DDDEZ", Kinds(answer));
        Assert.Equal("54000", answer[5].SqlState);
        Assert.Equal("TDCZ", Kinds(next));
    }

    private async Task<PgRawClient> LoginAsync(string application)
    {
        var client = await PgRawClient.ConnectAsync(_edge!.Host, _edge.Port);
        var login = await client.StartAsync(Patience, ("user", "alice"), ("database", "app"), ("application_name", application), ("options", "endpoint=fake"));
        Assert.Equal('Z', login[^1].Kind);
        return client;
    }

    /// <summary>Answers like PostgreSQL for the flows above: ten rows per portal, Execute's row count, copy-in.</summary>
    private Task AnswerAsync(PgFakeConnection connection, PgMessage message)
    {
        var state = _states.GetOrAdd(connection, _ => new FakeState());
        switch (message.Code)
        {
            case FrontendMessageCode.Parse:
                state.Sql = Encoding.UTF8.GetString(message.Body).Split('\0')[1];
                return connection.SendAsync(PgBackendMessages.ParseComplete());
            case FrontendMessageCode.Bind:
                state.Remaining = 10;
                return connection.SendAsync(PgBackendMessages.BindComplete());
            case FrontendMessageCode.Execute when state.Sql.StartsWith("copy", StringComparison.Ordinal):
                state.InCopy = true;
                return connection.SendAsync(PgBackendMessages.Message(BackendMessageCode.CopyInResponse, [0, 0, 1, 0, 0]));
            case FrontendMessageCode.Execute:
                var max = BinaryPrimitives.ReadInt32BigEndian(message.Body.AsSpan(message.Body.Length - 4));
                var count = max == 0 ? state.Remaining : Math.Min(max, state.Remaining);
                var rows = Enumerable.Range(11 - state.Remaining, count).Select(n => PgBackendMessages.DataRow($"{100 + n}")).ToList();
                state.Remaining -= count;
                rows.Add(max > 0 && state.Remaining > 0 ? PgBackendMessages.PortalSuspended() : PgBackendMessages.CommandComplete($"SELECT {count}"));
                return connection.SendAsync([.. rows]);
            case FrontendMessageCode.CopyFail:
                state.InCopy = false;
                return connection.SendAsync(PgBackendMessages.ErrorResponse("57014", "COPY from stdin failed"));
            case FrontendMessageCode.Sync when state.InCopy:
                return Task.CompletedTask;
            default:
                return PgFakeScript.AnswerLikeAServerAsync(connection, message);
        }
    }

    private static string Kinds(IEnumerable<PgMessage> messages) => string.Concat(messages.Select(m => m.Kind));

    public async Task InitializeAsync()
    {
        _server = PgServerFake.Start(new PgFakeScript { OnMessage = AnswerAsync });
        _policies.Handle.Set(new EdgePolicy(new StatementPolicyStandIn { MaxRows = 3 }, new byte[32], []));
        _edge = await EdgeTestHost.StartAsync(options =>
        {
            options.Endpoints.Add(EdgeTestHost.Endpoint("fake", _server.Host, _server.Port));
            options.Tls.Enabled = false;
        }, services => services.AddSingleton<IEdgePolicyProvider>(_policies));
    }

    public async Task DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private sealed class FakeState
    {
        public string Sql { get; set; } = "";

        public int Remaining { get; set; } = 10;

        public bool InCopy { get; set; }
    }
}
