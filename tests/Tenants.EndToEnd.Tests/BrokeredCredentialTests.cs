using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenants.Abstractions.Secrets;
using Tenants.Abstractions.Tenancy;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Brokered credentials through the real Host: a member signs in at the proxy with a personal access token issued by
/// the tenant, the session runs as the endpoint's stored role (whose password only the tenant's sealed setting holds),
/// the ledger and search name the person as well as the role, and a revoked token stops working at once.
/// </summary>
public sealed class BrokeredCredentialTests
{
    private const string TenantId = "brokered";
    private const string EndpointId = "brokered-db";
    private const string RolePassword = "ro-Secret-9";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PersonSignsInWithAToken_RunsAsTheStoredRole_IsNamedInTheLedger_AndIsLockedOutOnRevocation()
    {
        var key = CredentialProtector.NewKey();
        await using var platform = await IsolatedPlatform.StartAsync(TenantId, (settings, _) => settings
            .Set("Secrets__CredentialKeys", Convert.ToBase64String(key))
            .Set("Edge__Directory__NegativeCacheTtl", "00:00:01"));
        await platform.StartHostAsync();
        await ExecuteAsync(platform.Postgres.ConnectionString, "create role app_ro login password 'ro-Secret-9'");
        using var client = await platform.ClusterClientAsync();
        var tenant = client.Services.GetRequiredService<IClusterClient>().GetGrain<ITenantGrain>(TenantId);
        await tenant.CreateAsync("Brokered Ltd", new TenantMember { Id = "olivia", Email = "olivia@example.com", Role = MemberRole.Owner });
        await tenant.AddMemberAsync("olivia", new TenantMember { Id = "ada", Email = "ada@example.com", Role = MemberRole.Developer });
        var token = await tenant.IssueKeyAsync("ada", new TenantKeyRequest { Name = "laptop", Kind = TenantKeyKind.PersonalAccessToken, Scopes = [TenantScopes.Connect] });
        var sealedPassword = new CredentialProtector([key]).Seal(RolePassword, CredentialProtector.EndpointContext(TenantId, EndpointId));
        await tenant.AddEndpointAsync("olivia", new EndpointSettings
        {
            Id = EndpointId,
            UpstreamHost = platform.Postgres.Host,
            UpstreamPort = platform.Postgres.Port,
            DefaultDatabase = "app",
            Broker = new BrokeredCredential { User = "app_ro", SealedPassword = sealedPassword },
        });

        var proxied = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = platform.Settings.ProxyPort, Username = "ada@example.com", Password = token.Secret,
            Options = $"endpoint={EndpointId}", Pooling = false, SslMode = SslMode.Require,
        }.ConnectionString;
        var who = await Eventually.MatchAsync(() => TryScalarAsync(proxied, "select current_user || '@' || current_database()"), w => w is not null, Patience, w => $"last: {w}");
        Assert.Equal("app_ro@app", who);

        await tenant.RevokeKeyAsync("olivia", token.Key.Id);
        var revoked = await Assert.ThrowsAsync<PostgresException>(() => TryScalarAsync(proxied, "select 1"));
        Assert.Equal("28P01", revoked.SqlState);

        using var api = platform.Api();
        var events = await Eventually.MatchAsync(
            async () => (await platform.AllEventsAsync(api, "&person=ada")).Events,
            list => list.Any(e => e.GetProperty("kind").GetString() == "login_failed"),
            Patience,
            list => $"{list.Count} events of ada so far");
        var statement = Assert.Single(events, e => e.TryGetProperty("sql", out var sql) && sql.GetString() == "select current_user || '@' || current_database()");
        Assert.Equal(("ada", "app_ro"), (statement.GetProperty("person").GetString(), statement.GetProperty("user").GetString()));
        // Npgsql tries a refused login twice; both attempts are recorded, filed under the token's member.
        Assert.All(events.Where(e => e.GetProperty("kind").GetString() == "login_failed"),
            e => Assert.Equal($"key '{token.Key.Id}' was revoked", e.GetProperty("message").GetString()));
        Assert.DoesNotContain(events, e => e.GetRawText().Contains(RolePassword, StringComparison.Ordinal));
    }

    private static async Task<string?> TryScalarAsync(string connectionString, string sql)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return (string?)await command.ExecuteScalarAsync();
        }
        catch (PostgresException ex) when (ex.SqlState == "08004")
        {
            return null;
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
