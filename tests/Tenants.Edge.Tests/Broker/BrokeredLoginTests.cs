using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Secrets;
using Tenants.Edge.Broker;
using Tenants.Edge.Tests.Hosting;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Broker;

/// <summary>
/// Brokered credentials through the proxy, in front of a real PostgreSQL whose host logins use SCRAM-SHA-256: a person
/// signs in with a token, the proxy logs in as the endpoint's stored role, and the events name both.
/// </summary>
public sealed class BrokeredLoginTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string Token = "tk_tenant-a_01STANDIN_secret";
    private const string RolePassword = "rw-Secret-1";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly PersonAuthenticatorStandIn _persons = new();
    private readonly CredentialProtector _protector = new([CredentialProtector.NewKey()]);
    private readonly string _role = "app_rw_" + Guid.NewGuid().ToString("N")[..8];
    private EdgeTestHost? _edge;
    private string _direct = "";

    public async Task InitializeAsync()
    {
        _direct = await postgres.CreateUniqueDatabaseAsync("brokered");
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create role {_role} login password '{RolePassword}'", connection);
        await command.ExecuteNonQueryAsync();
        _persons.Tokens[Token] = "ada";
    }

    public async Task DisposeAsync()
    {
        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }
    }

    private async Task StartAsync(Action<EdgeEndpointOptions>? endpoint = null, bool plaintextLoopback = true)
    {
        var server = new NpgsqlConnectionStringBuilder(_direct);
        _edge = await EdgeTestHost.StartAsync(options =>
        {
            var pg = EdgeTestHost.Endpoint("pg", server.Host!, server.Port);
            pg.DefaultDatabase = server.Database;
            pg.Broker = new EdgeBrokerOptions { User = _role, Password = RolePassword };
            endpoint?.Invoke(pg);
            options.Endpoints.Add(pg);
            options.AllowPlaintextBrokeredLoginFromLoopback = plaintextLoopback;
        }, services => services.AddSingleton<IPersonAuthenticator>(_persons).AddSingleton(_protector));
    }

    private string Proxied(string user = "ada", string password = Token, SslMode ssl = SslMode.Disable) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = _edge!.Host, Port = _edge.Port, Username = user, Password = password, Options = "endpoint=pg", Pooling = false, SslMode = ssl,
        }.ConnectionString;

    [Fact]
    public async Task Token_SignsThePersonIn_TheSessionRunsAsTheStoredRole_AndEveryEventNamesBoth()
    {
        await StartAsync();

        await using var connection = new NpgsqlConnection(Proxied());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_user || ' ' || current_database()", connection);
        var who = (string)(await command.ExecuteScalarAsync())!;
        await connection.CloseAsync();

        Assert.Equal($"{_role} {new NpgsqlConnectionStringBuilder(_direct).Database}", who);
        Assert.Equal(("tenant-a", "pg", "ada"), Assert.Single(_persons.Calls));
        // Npgsql runs a few statements of its own (type loading) before the test's.
        var events = await EventsUntilAsync(e => e.Kind == AuditEventKind.SessionEnded);
        Assert.Equal([AuditEventKind.ConnectionAccepted, AuditEventKind.LoginSucceeded], events.Take(2).Select(e => e.Kind));
        Assert.Contains(events, e => e.Kind == AuditEventKind.Statement && e.Sql == "select current_user || ' ' || current_database()");
        Assert.Equal(AuditEventKind.SessionEnded, events[^1].Kind);
        Assert.All(events, e => Assert.Equal(("ada", _role), (e.Person, e.DatabaseUser)));
    }

    [Fact]
    public async Task SealedPassword_IsOpenedWithTheNodesKey_AndAPasswordSealedForAnotherEndpointIsRefused()
    {
        var context = CredentialProtector.EndpointContext("tenant-a", "pg");
        await StartAsync(pg => pg.Broker = new EdgeBrokerOptions { User = _role, SealedPassword = _protector.Seal(RolePassword, context) });
        await using (var connection = new NpgsqlConnection(Proxied()))
        {
            await connection.OpenAsync();
        }

        await _edge!.DisposeAsync();
        var elsewhere = _protector.Seal(RolePassword, CredentialProtector.EndpointContext("tenant-a", "another"));
        await StartAsync(pg => pg.Broker = new EdgeBrokerOptions { User = _role, SealedPassword = elsewhere });
        var error = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(Proxied()));

        Assert.Equal("28000", error.SqlState);
        Assert.Equal("the stored credential of endpoint 'pg' cannot be used: the stored credential does not open: it was altered, or sealed for another endpoint", error.MessageText);
    }

    [Fact]
    public async Task WrongToken_Is28P01WithAHint_IsRecordedWithTheReason_AndNeverReachesTheDatabase()
    {
        await StartAsync();

        var wrong = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(Proxied(password: RolePassword)));
        var otherPerson = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(Proxied(user: "olivia")));

        Assert.Equal(("28P01", "password authentication failed for user \"ada\""), (wrong.SqlState, wrong.MessageText));
        Assert.Contains("personal access token", wrong.Hint, StringComparison.Ordinal);
        Assert.Equal("28P01", otherPerson.SqlState);
        var events = await EventsUntilAsync(e => e.Person == "olivia");
        Assert.All(events, e => Assert.Equal(AuditEventKind.LoginFailed, e.Kind));
        // Npgsql tries a failed login twice; each attempt is recorded.
        Assert.Equal(["ada", "olivia"], events.Select(e => e.Person).Distinct());
        Assert.All(events, e => Assert.Equal(("28P01", "stand-in: not a token of this member", _role), (e.SqlState, e.Message, e.DatabaseUser)));
    }

    [Fact]
    public async Task OverPlaintext_WhenOnlyTlsIsAllowed_IsRefusedBeforeAnyTokenIsSent_AndTlsWorks()
    {
        await StartAsync(plaintextLoopback: false);

        var plain = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(Proxied()));
        await using var tls = new NpgsqlConnection(Proxied(ssl: SslMode.Require));
        await tls.OpenAsync();

        Assert.Equal("28000", plain.SqlState);
        Assert.Equal("endpoint 'pg' signs people in with personal access tokens, which are accepted only over an encrypted connection", plain.MessageText);
        Assert.Equal("Connect with sslmode=require (or verify-full).", plain.Hint);
        Assert.Single(_persons.Calls);
    }

    [Fact]
    public async Task Psql_OverTls_WithTheTokenAsPassword_RunsAsTheStoredRole()
    {
        await StartAsync(plaintextLoopback: false);

        var psql = new ProcessStartInfo(Path.Combine(postgres.BinDirectory, "psql"))
        {
            ArgumentList = { $"host={_edge!.Host} port={_edge.Port} user=ada sslmode=require options=endpoint=pg", "-X", "-A", "-t", "-c", "select current_user" },
            Environment = { ["PGPASSWORD"] = Token },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var result = await ProcessRunner.RunAsync(psql, Patience);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(_role, result.Output.Trim());
    }

    [Fact]
    public async Task WrongStoredPassword_TellsTheClientTheDatabaseRefusedTheEndpointsCredential()
    {
        await StartAsync(pg => pg.Broker!.Password = "not-the-password");

        var error = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(Proxied()));

        Assert.Equal("28P01", error.SqlState);
        Assert.Equal($"the database refused the stored credential of endpoint 'pg' (role \"{_role}\"): password authentication failed for user \"{_role}\"", error.MessageText);
        var first = await EventsUntilAsync(e => e.Kind == AuditEventKind.SessionEnded);
        var events = first.Where(e => e.SessionId == first[0].SessionId).ToList();
        Assert.Equal([AuditEventKind.ConnectionAccepted, AuditEventKind.LoginFailed, AuditEventKind.SessionEnded], events.Select(e => e.Kind));
        Assert.Equal("ada", events[1].Person);
    }

    /// <summary>Every event so far, once one matching <paramref name="last"/> was emitted.</summary>
    private async Task<IReadOnlyList<AuditEvent>> EventsUntilAsync(Func<AuditEvent, bool> last)
    {
        await _edge!.Audit.WaitForAsync(last, Patience);
        return _edge.Audit.Events;
    }

    private static async Task OpenAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
    }
}
