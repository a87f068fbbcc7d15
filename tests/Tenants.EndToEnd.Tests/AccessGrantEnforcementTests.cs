using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenants.Abstractions.Secrets;
using Tenants.Abstractions.Tenancy;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A rule that requires an access grant, end to end through the real Host: a developer signed in at the proxy with a
/// personal access token cannot write until an owner approves her request through the API; then she can, within the
/// edge's refresh interval; once she revokes the grant, she cannot again.
/// </summary>
public sealed class AccessGrantEnforcementTests
{
    private const string TenantId = "granted";
    private const string EndpointId = "granted-db";
    private const string RolePassword = "rw-Secret-7";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Writes_NeedAnApprovedGrant_WhichTheEdgeHonoursUntilItIsRevoked()
    {
        var key = CredentialProtector.NewKey();
        await using var platform = await IsolatedPlatform.StartAsync(TenantId, (settings, _) => settings
            .Set("Secrets__CredentialKeys", Convert.ToBase64String(key))
            .Set("Edge__Directory__NegativeCacheTtl", "00:00:01"));
        await platform.StartHostAsync();
        await using (var direct = new NpgsqlConnection(platform.DirectConnectionString))
        {
            await direct.OpenAsync();
            await IsolatedPlatform.ExecuteAsync(direct, $"create role app_rw login password '{RolePassword}'; create table orders (id int); grant select, insert on orders to app_rw");
        }

        string token;
        using (var client = await platform.ClusterClientAsync())
        {
            var tenant = client.Services.GetRequiredService<IClusterClient>().GetGrain<ITenantGrain>(TenantId);
            await tenant.CreateAsync("Granted Ltd", new TenantMember { Id = "olivia", Email = "olivia@example.com", Role = MemberRole.Owner });
            await tenant.AddMemberAsync("olivia", new TenantMember { Id = "ada", Email = "ada@example.com", Role = MemberRole.Developer });
            token = (await tenant.IssueKeyAsync("ada", new TenantKeyRequest { Name = "laptop", Kind = TenantKeyKind.PersonalAccessToken, Scopes = [TenantScopes.Connect] })).Secret;
            await tenant.AddEndpointAsync("olivia", new EndpointSettings
            {
                Id = EndpointId,
                UpstreamHost = platform.Postgres.Host,
                UpstreamPort = platform.Postgres.Port,
                DefaultDatabase = "app",
                Broker = new BrokeredCredential { User = "app_rw", SealedPassword = new CredentialProtector([key]).Seal(RolePassword, CredentialProtector.EndpointContext(TenantId, EndpointId)) },
            });
        }

        using var owner = platform.Api();
        using var ada = platform.Api();
        ada.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        const string Document = """{"rules": [{"id": "writes-need-a-grant", "effect": "require-grant", "endpoints": ["granted-db"], "kinds": ["write", "ddl"]}]}""";
        (await owner.PostAsync("/api/v1/policies", new StringContent(Document, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var proxied = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = platform.Settings.ProxyPort, Username = "ada@example.com", Password = token,
            Options = $"endpoint={EndpointId}", Pooling = false, SslMode = SslMode.Require,
        }.ConnectionString;

        var refused = await Eventually.MatchAsync(() => InsertAsync(proxied), e => e is not null, Patience, e => "the insert was not refused");
        using var asked = await ada.PostAsJsonAsync("/api/v1/access-requests", new { endpointId = EndpointId, reason = "INC-42: backfill orders", minutes = 30 });
        var request = await asked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(asked.IsSuccessStatusCode, request.ToString());
        var id = request.GetProperty("id").GetString();
        (await owner.PostAsJsonAsync($"/api/v1/access-requests/{id}/approve", new { note = "go ahead" })).EnsureSuccessStatusCode();
        var allowed = await Eventually.MatchAsync(() => InsertAsync(proxied), e => e is null, Patience, e => $"still refused after approval: {e?.MessageText}");
        (await ada.PostAsync($"/api/v1/access-requests/{id}/revoke", null)).EnsureSuccessStatusCode();
        var again = await Eventually.MatchAsync(() => InsertAsync(proxied), e => e is not null, Patience, e => "still allowed after revocation");

        Assert.Equal(("42501", "42501"), (refused!.SqlState, again!.SqlState));
        Assert.Contains("writes-need-a-grant", refused.MessageText, StringComparison.Ordinal);
        Assert.Contains("access-requests", refused.MessageText + refused.Hint, StringComparison.Ordinal);
        Assert.Null(allowed);
        await using var check = new NpgsqlConnection(platform.DirectConnectionString);
        await check.OpenAsync();
        Assert.True((long)(await new NpgsqlCommand("select count(*) from orders", check).ExecuteScalarAsync())! >= 1);
    }

    // Null when the insert ran; the server's (or the proxy's) error otherwise.
    private static async Task<PostgresException?> InsertAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("insert into orders values (1)", connection);
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException ex) when (ex.SqlState is "42501")
        {
            return ex;
        }
    }
}
