using System.Buffers.Binary;
using Tenants.Abstractions.Audit;
using Tenants.Testing;
using static Tenants.Edge.Tests.Proxy.ProxyHarness;

namespace Tenants.Edge.Tests.Proxy;

/// <summary>Protocol edge cases that a real server will not produce on demand, played by a scripted fake behind the proxy.</summary>
[Collection(ProxyCollection.Name)]
public sealed partial class FakeServerEdgeCaseTests
{
    private const string NotExecuted = "not executed: an earlier error in the same request aborted it";

    [Fact]
    public async Task SimpleQuery_ThroughProxy_ClientGetsRowsAndStatementIsRecorded()
    {
        await using var harness = await StartAsync();
        var (client, login, _) = await harness.LoginAsync("simple");
        await using var _client = client;

        Assert.Equal('Z', login[^1].Kind);
        await client.SendAsync(PgFrontendMessages.Query("select 1"));
        var answer = await client.ReadUntilAsync('Z', Patience);

        Assert.Equal("TDCZ", Kinds(answer));
        var statement = await harness.Edge.Audit.WaitForAsync(e => e.Kind == AuditEventKind.Statement && e.ApplicationName == "simple", Patience);
        Assert.Equal("select 1", statement.Sql);
        Assert.Equal("SELECT 1", statement.CommandTag);
        Assert.Equal(1, statement.Rows);
    }

    [Fact]
    public async Task NoticeResponse_WhileNoQueryRuns_IsForwardedAtOnce()
    {
        await using var harness = await StartAsync();
        var (client, _, upstream) = await harness.LoginAsync("notice");
        await using var _client = client;

        await upstream.SendAsync(PgBackendMessages.NoticeResponse("checkpoint soon", "01000", "WARNING"));
        var notice = await client.ReadMessageAsync(Patience);

        Assert.Equal('N', notice!.Kind);
        Assert.Equal("checkpoint soon", notice.Fields()['M']);
        Assert.Equal("01000", notice.SqlState);
    }

    [Fact]
    public async Task NotificationResponse_WhileNoQueryRuns_IsForwardedAtOnce()
    {
        await using var harness = await StartAsync();
        var (client, _, upstream) = await harness.LoginAsync("notify");
        await using var _client = client;

        await upstream.SendAsync(PgBackendMessages.NotificationResponse(4242, "jobs", "job 17 done"));
        var notification = await client.ReadMessageAsync(Patience);

        Assert.Equal(PgBackendMessages.NotificationResponse(4242, "jobs", "job 17 done"), notification!.ToBytes());
        await client.SendAsync(PgFrontendMessages.Query("select 1"));
        Assert.Equal("TDCZ", Kinds(await client.ReadUntilAsync('Z', Patience)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Server_ClosesInTheMiddleOfAMessage_ClientConnectionIsClosed(bool reset)
    {
        await using var harness = await StartAsync(new PgFakeScript
        {
            OnMessage = async (connection, message) =>
            {
                var row = PgBackendMessages.DataRow(new string('x', 500));
                await connection.SendAsync(PgBackendMessages.RowDescription("x"), row[..100]);
                if (reset)
                {
                    connection.Abort();
                }
                else
                {
                    connection.Close();
                }
            },
        });
        var name = $"midmessage-{reset}";
        var (client, _, _) = await harness.LoginAsync(name);
        await using var _client = client;

        await client.SendAsync(PgFrontendMessages.Query("select repeat('x', 500)"));
        var (bytes, closed, _) = await client.ReadToEndAsync(Patience);

        Assert.True(closed, "the client connection is still open after the server went away");
        Assert.Equal((byte)'T', bytes[0]);
        var ended = (await harness.Edge.Audit.WaitForSessionEndAsync(name, Patience)).Single(e => e.Kind == AuditEventKind.SessionEnded);
        Assert.StartsWith("server connection", ended.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_ClosesWhileQueryRuns_StatementIsStillRecorded()
    {
        await using var harness = await StartAsync(new PgFakeScript
        {
            OnMessage = (connection, message) =>
            {
                connection.Close();
                return Task.CompletedTask;
            },
        });
        var (client, _, upstream) = await harness.LoginAsync("inflight");
        await using var _client = client;

        await client.SendAsync(PgFrontendMessages.Query("drop table accounts"));
        await upstream.WaitForMessageAsync('Q', Patience);
        var (_, closed, _) = await client.ReadToEndAsync(Patience);

        Assert.True(closed);
        var events = await harness.Edge.Audit.WaitForSessionEndAsync("inflight", Patience);
        Assert.Contains(events, e => e.Kind == AuditEventKind.Statement && e.Sql == "drop table accounts");
    }

    [Fact]
    public async Task ErrorResponse_BeforeAuthenticationOk_IsRecordedAsLoginFailed()
    {
        await using var harness = await StartAsync(new PgFakeScript
        {
            OnStartup = async connection =>
            {
                await connection.SendAsync(PgBackendMessages.ErrorResponse("28P01", "password authentication failed for user \"alice\"", "FATAL"));
                connection.Close();
            },
        });
        await using var client = await harness.ConnectAsync();

        var answer = await client.StartAsync(Patience, StartupParameters("badpassword"));
        var (_, closed, _) = await client.ReadToEndAsync(Patience);

        Assert.Equal("28P01", Assert.Single(answer).SqlState);
        Assert.True(closed);
        var events = await harness.Edge.Audit.WaitForSessionEndAsync("badpassword", Patience);
        Assert.Equal([AuditEventKind.ConnectionAccepted, AuditEventKind.LoginFailed, AuditEventKind.SessionEnded], events.Select(e => e.Kind));
        var failed = events[1];
        Assert.Equal("28P01", failed.SqlState);
        Assert.Equal("password authentication failed for user \"alice\"", failed.Message);
    }

    [Fact]
    public async Task ErrorResponse_AfterAuthenticationOkBeforeReady_IsRecordedAsLoginFailed()
    {
        // PostgreSQL authenticates first and checks the database afterwards: "database does not exist" and "too many
        // connections for role" arrive after AuthenticationOk, and the session never becomes ready.
        await using var harness = await StartAsync(new PgFakeScript
        {
            OnStartup = async connection =>
            {
                await connection.SendAsync(
                    PgBackendMessages.AuthenticationOk(),
                    PgBackendMessages.ErrorResponse("3D000", "database \"app\" does not exist", "FATAL"));
                connection.Close();
            },
        });
        await using var client = await harness.ConnectAsync();

        await client.StartAsync(Patience, StartupParameters("nodatabase"));

        var events = await harness.Edge.Audit.WaitForSessionEndAsync("nodatabase", Patience);
        Assert.DoesNotContain(events, e => e.Kind == AuditEventKind.LoginSucceeded);
        Assert.Equal("3D000", Assert.Single(events, e => e.Kind == AuditEventKind.LoginFailed).SqlState);
    }

    [Fact]
    public async Task Pipeline_ErrorInTheMiddle_RecordsExecutedFailedAndNotExecutedStatements()
    {
        var executes = 0;
        var failed = false;
        await using var harness = await StartAsync(new PgFakeScript
        {
            // As PostgreSQL does: after an error, every message up to Sync is skipped.
            OnMessage = (connection, message) =>
            {
                if (message.Kind == 'S')
                {
                    failed = false;
                    return connection.SendAsync(PgBackendMessages.ReadyForQuery());
                }

                if (failed)
                {
                    return Task.CompletedTask;
                }

                if (message.Kind == 'E' && ++executes == 2)
                {
                    failed = true;
                    return connection.SendAsync(PgBackendMessages.ErrorResponse("42P01", "relation \"missing\" does not exist"));
                }

                return message.Kind == 'E'
                    ? connection.SendAsync(PgBackendMessages.CommandComplete("INSERT 0 1"))
                    : PgFakeScript.AnswerLikeAServerAsync(connection, message);
            },
        });
        var (client, _, _) = await harness.LoginAsync("pipeline");
        await using var _client = client;

        await client.SendAsync(
            PgFrontendMessages.ParseBindExecute("insert into a values (1)"),
            PgFrontendMessages.ParseBindExecute("insert into missing values (2)"),
            PgFrontendMessages.ParseBindExecute("insert into a values (3)"),
            PgFrontendMessages.Sync());
        var answer = await client.ReadUntilAsync('Z', Patience);

        Assert.Equal("12C12EZ", Kinds(answer));
        var statements = await WaitForStatementsAsync(harness, "pipeline", 3);
        Assert.Equal(["insert into a values (1)", "insert into missing values (2)", "insert into a values (3)"], statements.Select(s => s.Sql));
        Assert.All(statements, s => Assert.Equal("extended", s.Protocol));
        Assert.Equal(("INSERT 0 1", 1L, (string?)null, (string?)null), (statements[0].CommandTag, statements[0].Rows, statements[0].SqlState, statements[0].Message));
        Assert.Equal(((string?)null, "42P01", "relation \"missing\" does not exist"), (statements[1].CommandTag, statements[1].SqlState, statements[1].Message));
        Assert.Equal(((string?)null, (string?)null, NotExecuted), (statements[2].CommandTag, statements[2].SqlState, statements[2].Message));
    }

    [Fact]
    public async Task Flush_WithoutSync_ReachesServerBeforeAnySync()
    {
        await using var harness = await StartAsync();
        var (client, _, upstream) = await harness.LoginAsync("flush");
        await using var _client = client;

        await client.SendAsync(PgFrontendMessages.Parse("s1", "select 1"), PgFrontendMessages.Flush());
        await upstream.WaitForMessageAsync('H', Patience);
        var parseComplete = await client.ReadMessageAsync(Patience);

        Assert.Equal("PH", string.Concat(upstream.Received.Select(m => m.Kind)));
        Assert.Equal('1', parseComplete!.Kind);
    }

    [Theory]
    [InlineData("INSERT 0 5", 5L)]
    [InlineData("UPDATE 3", 3L)]
    [InlineData("DELETE 0", 0L)]
    [InlineData("SELECT 42", 42L)]
    [InlineData("MERGE 2", 2L)]
    [InlineData("COPY 7", 7L)]
    [InlineData("FETCH 10", 10L)]
    [InlineData("MOVE 4", 4L)]
    [InlineData("BEGIN", null)]
    [InlineData("CREATE TABLE", null)]
    public async Task CommandComplete_TagWithOrWithoutRowCount_IsRecordedWithRows(string tag, long? rows)
    {
        await using var harness = await StartAsync(new PgFakeScript
        {
            OnMessage = (connection, message) => message.Kind == 'Q'
                ? connection.SendAsync(PgBackendMessages.CommandComplete(tag), PgBackendMessages.ReadyForQuery())
                : PgFakeScript.AnswerLikeAServerAsync(connection, message),
        });
        var name = $"tag-{tag.Replace(' ', '-')}";
        var (client, _, _) = await harness.LoginAsync(name);
        await using var _client = client;

        await client.SendAsync(PgFrontendMessages.Query("some statement"));
        await client.ReadUntilAsync('Z', Patience);

        var statement = Assert.Single(await WaitForStatementsAsync(harness, name, 1));
        Assert.Equal(tag, statement.CommandTag);
        Assert.Equal(rows, statement.Rows);
    }

    [Fact]
    public async Task SimpleQuery_SeveralStatements_RecordsOneEventPerStatementWithItsOwnTag()
    {
        await using var harness = await StartAsync(new PgFakeScript
        {
            OnMessage = (connection, message) => connection.SendAsync(
                PgBackendMessages.CommandComplete("BEGIN"),
                PgBackendMessages.CommandComplete("INSERT 0 2"),
                PgBackendMessages.CommandComplete("COMMIT"),
                PgBackendMessages.ReadyForQuery()),
        });
        var (client, _, _) = await harness.LoginAsync("multi");
        await using var _client = client;

        await client.SendAsync(PgFrontendMessages.Query("begin; insert into a values (1), (2); commit"));
        await client.ReadUntilAsync('Z', Patience);

        var statements = await WaitForStatementsAsync(harness, "multi", 3);
        Assert.Equal(
            [("begin;", "BEGIN", (long?)null), ("insert into a values (1), (2);", "INSERT 0 2", 2L), ("commit", "COMMIT", null)],
            statements.Select(s => (s.Sql, s.CommandTag, s.Rows)));
    }

    [Fact]
    public async Task EmptyQuery_SimpleAndExtended_ClientGetsEmptyQueryResponseAndStatementsHaveNoTag()
    {
        await using var harness = await StartAsync();
        var (client, _, _) = await harness.LoginAsync("empty");
        await using var _client = client;

        await client.SendAsync(PgFrontendMessages.Query(string.Empty));
        var simple = await client.ReadUntilAsync('Z', Patience);
        await client.SendAsync(PgFrontendMessages.Parse(string.Empty, string.Empty), PgFrontendMessages.Bind(string.Empty, string.Empty), PgFrontendMessages.Sync());
        await client.ReadUntilAsync('Z', Patience);

        Assert.Equal("IZ", Kinds(simple));
        var statement = Assert.Single(await WaitForStatementsAsync(harness, "empty", 1));
        Assert.Equal((string.Empty, (string?)null, (string?)null), (statement.Sql, statement.CommandTag, statement.SqlState));
    }

    [Fact]
    public async Task EmptyQueryResponse_ToAnExecute_CompletesTheStatementWithoutTag()
    {
        await using var harness = await StartAsync(new PgFakeScript
        {
            OnMessage = (connection, message) => message.Kind == 'E'
                ? connection.SendAsync(PgBackendMessages.EmptyQueryResponse())
                : PgFakeScript.AnswerLikeAServerAsync(connection, message),
        });
        var (client, _, _) = await harness.LoginAsync("empty-extended");
        await using var _client = client;

        await client.SendAsync(PgFrontendMessages.ParseBindExecute(" "), PgFrontendMessages.Sync());
        var answer = await client.ReadUntilAsync('Z', Patience);

        Assert.Equal("12IZ", Kinds(answer));
        var statement = Assert.Single(await WaitForStatementsAsync(harness, "empty-extended", 1));
        Assert.Equal((" ", (string?)null, (string?)null, (string?)null), (statement.Sql, statement.CommandTag, statement.SqlState, statement.Message));
    }

    [Fact]
    public async Task CopyOut_RowsStreamToClient_AndTagCarriesTheRowCount()
    {
        await using var harness = await StartAsync(new PgFakeScript
        {
            OnMessage = (connection, message) => connection.SendAsync(
                PgBackendMessages.CopyOutResponse(2),
                PgBackendMessages.CopyData("1\ta\n"),
                PgBackendMessages.CopyData("2\tb\n"),
                PgBackendMessages.CopyDone(),
                PgBackendMessages.CommandComplete("COPY 2"),
                PgBackendMessages.ReadyForQuery()),
        });
        var (client, _, _) = await harness.LoginAsync("copyout");
        await using var _client = client;

        await client.SendAsync(PgFrontendMessages.Query("copy t to stdout"));
        var answer = await client.ReadUntilAsync('Z', Patience);

        Assert.Equal("HddcCZ", Kinds(answer));
        Assert.Equal("2\tb\n", answer[2].Text);
        var statement = Assert.Single(await WaitForStatementsAsync(harness, "copyout", 1));
        Assert.Equal(("COPY 2", 2L), (statement.CommandTag, statement.Rows));
    }

    private static string Kinds(IEnumerable<PgMessage> messages) => string.Concat(messages.Select(m => m.Kind));

    private static async Task<IReadOnlyList<AuditEvent>> WaitForStatementsAsync(ProxyHarness harness, string applicationName, int count)
    {
        await harness.Edge.Audit.WaitForAsync(
            _ => harness.Edge.Audit.ForApplication(applicationName).Count(e => e.Kind == AuditEventKind.Statement) >= count, Patience);
        return harness.Edge.Audit.ForApplication(applicationName).Where(e => e.Kind == AuditEventKind.Statement).ToList();
    }

    /// <summary>Splits bytes into whole messages; <paramref name="leftover"/> counts the bytes of an unfinished last one.</summary>
    internal static List<PgMessage> SplitMessages(byte[] bytes, out int leftover)
    {
        var messages = new List<PgMessage>();
        var position = 0;
        while (bytes.Length - position >= 5)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position + 1));
            if (length < 4 || bytes.Length - position - 1 < length)
            {
                break;
            }

            messages.Add(new PgMessage(bytes[position], bytes.AsSpan(position + 5, length - 4).ToArray()));
            position += 1 + length;
        }

        leftover = bytes.Length - position;
        return messages;
    }
}
