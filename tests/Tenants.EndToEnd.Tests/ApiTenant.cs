using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tenants.Api.Security;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A tenant set up entirely through the API: signed up by its owner, a member of every other role (invited and
/// signed in), an API key with every permission, a personal access token, a brokered endpoint with one statement
/// through the proxy (so a session and events), a policy version, a verification job, a done export job, a used
/// invitation and a revoked key. <see cref="Markers"/> are the values that would betray its data to another tenant.
/// </summary>
public sealed class ApiTenant
{
    // The tenant's policy must compile; it denies only what no test runs.
    private static readonly string[] PolicyCommands = ["DROP DATABASE"];

    public const string Password = "correct horse battery";

    private ApiTenant(string tenantId) => TenantId = tenantId;

    public string TenantId { get; }

    public string OwnerEmail => Email("owner");

    /// <summary>Signed-in members by role name (<c>owner</c>, <c>admin</c>, <c>auditor</c>, <c>developer</c>).</summary>
    public Dictionary<string, ApiCaller> Members { get; } = [];

    public string ApiKeySecret { get; private set; } = "";

    public string ApiKeyId { get; private set; } = "";

    public string TokenSecret { get; private set; } = "";

    public string TokenId { get; private set; } = "";

    public string RevokedKeySecret { get; private set; } = "";

    public string UsedInvitationToken { get; private set; } = "";

    public string EndpointId => $"{TenantId}-db";

    public string NpgsqlConnectionString { get; private set; } = "";

    public string Sql => $"select 'marker-{TenantId}-sql'";

    public string SessionId { get; private set; } = "";

    public string EventId { get; private set; } = "";

    public long EventIndex { get; private set; }

    public string PolicyVersion { get; private set; } = "";

    public string PolicyRuleId => $"rule-{TenantId}";

    public string VerificationId { get; private set; } = "";

    public string ExportId { get; private set; } = "";

    public string DownloadPath { get; private set; } = "";

    public string WebhookId { get; private set; } = "";

    /// <summary>The developer's pending request for access to the endpoint.</summary>
    public string AccessRequestId { get; private set; } = "";

    public string MemberId(string role) => $"{TenantId}-{role}";

    public string Email(string role) => $"{role}@{TenantId}.example";

    /// <summary>Every value of this tenant's that another tenant must never be shown (unless it sent it itself).</summary>
    public IReadOnlyList<string> Markers =>
    [
        $"marker-{TenantId}-sql", PolicyRuleId, EndpointId, SessionId, EventId, ApiKeyId, TokenId, VerificationId, ExportId, WebhookId, AccessRequestId,
        .. ApiIsolationFixture.Roles.Select(MemberId), .. ApiIsolationFixture.Roles.Select(Email), TenantId,
    ];

    internal static async Task<ApiTenant> SetUpAsync(ApiIsolationFixture fixture, string tenantId, CancellationToken cancellationToken)
    {
        var tenant = new ApiTenant(tenantId);
        var ownerClient = fixture.Portal();
        await Ok(await ownerClient.PostAsJsonAsync("/api/v1/signup",
            new { tenantId, tenantName = $"Tenant {tenantId}", email = tenant.OwnerEmail, password = Password, memberId = tenant.MemberId("owner") }, cancellationToken));
        var owner = new ApiCaller($"{tenantId} owner", ownerClient, (await ownerClient.GetFromJsonAsync<JsonElement>("/api/v1/me", cancellationToken)).GetProperty("csrfToken").GetString());
        tenant.Members["owner"] = owner;
        foreach (var role in ApiIsolationFixture.Roles.Skip(1))
        {
            var invited = await Ok(await owner.SendAsync(HttpMethod.Post, "/api/v1/members", new { email = tenant.Email(role), role, memberId = tenant.MemberId(role) }));
            var token = invited.GetProperty("invitationToken").GetString()!;
            var client = fixture.Portal();
            await Ok(await client.PostAsJsonAsync($"/api/v1/invitations/{token}", new { password = Password }, cancellationToken));
            var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me", cancellationToken);
            tenant.Members[role] = new ApiCaller($"{tenantId} {role}", client, me.GetProperty("csrfToken").GetString());
            tenant.UsedInvitationToken = token;
        }

        var key = await Ok(await owner.SendAsync(HttpMethod.Post, "/api/v1/keys", new { name = "automation", kind = "apiKey", scopes = ApiPermissions.All }));
        (tenant.ApiKeySecret, tenant.ApiKeyId) = (key.GetProperty("secret").GetString()!, key.GetProperty("key").GetProperty("id").GetString()!);
        var pat = await Ok(await owner.SendAsync(HttpMethod.Post, "/api/v1/keys", new { name = "psql", kind = "personalAccessToken", scopes = new List<string> { "db:connect" } }));
        (tenant.TokenSecret, tenant.TokenId) = (pat.GetProperty("secret").GetString()!, pat.GetProperty("key").GetProperty("id").GetString()!);
        var revoked = await Ok(await owner.SendAsync(HttpMethod.Post, "/api/v1/keys", new { name = "old", kind = "apiKey", scopes = new List<string> { "events:read" } }));
        tenant.RevokedKeySecret = revoked.GetProperty("secret").GetString()!;
        await Ok(await owner.SendAsync(HttpMethod.Delete, $"/api/v1/keys/{revoked.GetProperty("key").GetProperty("id").GetString()}"));

        var upstream = fixture.Platform.Postgres;
        var endpoint = await Ok(await owner.SendAsync(HttpMethod.Post, "/api/v1/endpoints", new
        {
            id = tenant.EndpointId, upstreamHost = upstream.Host, upstreamPort = upstream.Port, defaultDatabase = "app",
            broker = new { user = "app_ro", password = ApiIsolationFixture.RolePassword },
        }));
        tenant.NpgsqlConnectionString = new NpgsqlConnectionStringBuilder(endpoint.GetProperty("address").GetProperty("connectionStrings").GetProperty("npgsql").GetString())
        {
            Username = tenant.OwnerEmail, Password = tenant.TokenSecret, Pooling = false, SslMode = SslMode.Require,
        }.ConnectionString;
        await Eventually.MatchAsync(() => ApiIsolationFixture.TryScalarAsync<string>(tenant.NpgsqlConnectionString, tenant.Sql),
            r => r == $"marker-{tenantId}-sql", ApiIsolationFixture.Patience, r => $"the statement through {tenant.EndpointId} answered {r}");

        using var api = fixture.Bearer(tenant.ApiKeySecret);
        var events = await Eventually.MatchAsync(() => api.GetFromJsonAsync<JsonElement>("/api/v1/events?limit=1000&kind=statement", cancellationToken),
            page => page.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("sql").GetString() == tenant.Sql),
            ApiIsolationFixture.Patience, page => $"no statement event of {tenantId}: {page}");
        var statement = events.GetProperty("items").EnumerateArray().First(e => e.GetProperty("sql").GetString() == tenant.Sql);
        (tenant.SessionId, tenant.EventId, tenant.EventIndex) =
            (statement.GetProperty("session").GetString()!, statement.GetProperty("id").GetString()!, statement.GetProperty("index").GetInt64());

        var policy = await Ok(await owner.SendAsync(HttpMethod.Post, "/api/v1/policies", new { rules = new[] { new { id = tenant.PolicyRuleId, effect = "deny", commands = PolicyCommands } } }));
        tenant.PolicyVersion = policy.GetProperty("version").GetRawText();
        tenant.VerificationId = (await Ok(await owner.SendAsync(HttpMethod.Post, "/api/v1/ledger/verifications"))).GetProperty("id").GetString()!;
        tenant.WebhookId = (await Ok(await owner.SendAsync(HttpMethod.Post, "/api/v1/webhooks", new { url = $"http://127.0.0.1:9/{tenant.TenantId}-hook" })))
            .GetProperty("webhook").GetProperty("id").GetString()!;
        tenant.AccessRequestId = (await Ok(await tenant.Members["developer"].SendAsync(HttpMethod.Post, "/api/v1/access-requests",
            new { endpointId = tenant.EndpointId, reason = $"marker-{tenantId}-reason", minutes = 60 }))).GetProperty("id").GetString()!;
        tenant.ExportId = (await Ok(await owner.SendAsync(HttpMethod.Post, "/api/v1/exports", new { kind = "statement" }))).GetProperty("id").GetString()!;
        var export = await Eventually.MatchAsync(() => api.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{tenant.ExportId}", cancellationToken),
            job => job.GetProperty("status").GetString() is "done" or "failed", TimeSpan.FromSeconds(60), job => $"export of {tenantId}: {job}");
        Assert.True(export.GetProperty("status").GetString() == "done", export.ToString());
        tenant.DownloadPath = export.GetProperty("download").GetString()!;
        return tenant;
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
            return response.StatusCode == HttpStatusCode.NoContent || body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
        }
    }
}
