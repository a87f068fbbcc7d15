using System.Net;
using System.Text.Json;
using FastEndpoints;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Issue 6's isolation walk: every endpoint of the Api assembly, called as tenant B (with B's portal session and with
/// B's API key of every permission) using tenant A's ids, tokens, links and names, answers 403 or 404 for A's
/// resources and never shows any of A's data, nor a 500. An endpoint without a case here fails the test.
/// </summary>
[Collection(ApiIsolationCollection.Name)]
public sealed class ApiIsolationTests(ApiIsolationFixture fixture)
{
    private const string Prefix = "Tenants.Api.Features.";

    private static readonly int[] Hidden = [403, 404];

    private const string NoDelivery = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

    [Fact]
    public async Task EveryEndpoint_AsTenantB_WithTenantAsIds_IsRefused_NeverShowsTenantAsData_AndChangesNothingOfA()
    {
        var (a, b) = (fixture.A, fixture.B);
        var cases = Cases(a, b);
        var missing = EndpointNames().Except(cases.Keys).Order().ToList();
        Assert.True(missing.Count == 0, $"no isolation case for: {string.Join(", ", missing)} (add one to {nameof(ApiIsolationTests)}.{nameof(Cases)})");
        using var key = new ApiCaller("tenant B's API key", fixture.Bearer(b.ApiKeySecret), null);
        using var cookie = await fixture.SignInAsync(b, "owner");

        var failures = new List<string>();
        foreach (var (name, list) in cases.OrderBy(c => Rank(c.Key)).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var caller in new[] { key, cookie })
            {
                foreach (var walk in list)
                {
                    failures.AddRange(await CheckAsync(caller, name, walk, a.Markers));
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} answers broke isolation:\n{string.Join("\n", failures)}");
        await AssertTenantAIntactAsync(a);
    }

    /// <summary>After the walk A still has its endpoint, members and keys, its proxy works, and its revoked key is 401.</summary>
    private async Task AssertTenantAIntactAsync(ApiTenant a)
    {
        using var key = fixture.Bearer(a.ApiKeySecret);
        using var revoked = fixture.Bearer(a.RevokedKeySecret);

        var endpoint = JsonDocument.Parse(await key.GetStringAsync($"/api/v1/endpoints/{a.EndpointId}")).RootElement;
        var members = JsonDocument.Parse(await key.GetStringAsync("/api/v1/members")).RootElement.GetProperty("items");
        var keys = await key.GetStringAsync("/api/v1/keys");
        using var revokedMe = await revoked.GetAsync(new Uri("/api/v1/me", UriKind.Relative));

        Assert.True(endpoint.GetProperty("enabled").GetBoolean());
        Assert.False(endpoint.GetProperty("deleted").GetBoolean());
        Assert.Equal(ApiIsolationFixture.Roles.Select(a.MemberId).Order(), members.EnumerateArray().Select(m => m.GetProperty("id").GetString()).Order());
        Assert.Equal(a.Email("admin"), members.EnumerateArray().Single(m => m.GetProperty("id").GetString() == a.MemberId("admin")).GetProperty("email").GetString());
        Assert.Contains(a.TokenId, keys, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, revokedMe.StatusCode);
        Assert.Equal($"marker-{a.TenantId}-sql", await ApiIsolationFixture.TryScalarAsync<string>(a.NpgsqlConnectionString, a.Sql));
        var request = JsonDocument.Parse(await key.GetStringAsync($"/api/v1/access-requests/{a.AccessRequestId}")).RootElement;
        Assert.Equal("pending", request.GetProperty("status").GetString());
    }

    // B's export job with A's session id in its query, and B's token naming A's endpoint, are B's own input that B's lists
    // then show: they come after the lists. Signing out comes last, so the session walks everything else first.
    private static int Rank(string endpoint) => endpoint switch
    {
        "Exports.Create" or "Keys.Issue" => 1,
        "Accounts.SignOut" => 2,
        _ => 0,
    };

    /// <summary>The endpoints of the Api assembly by feature folder, e.g. <c>Events.Get</c>.</summary>
    internal static IReadOnlyList<string> EndpointNames() =>
        [.. typeof(Tenants.Api.Hosting.ApiServiceCollectionExtensions).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(BaseEndpoint).IsAssignableFrom(t))
            .Select(t => t.FullName!.StartsWith(Prefix, StringComparison.Ordinal) ? t.FullName[Prefix.Length..] : t.FullName)
            .Select(n => n.EndsWith(".Endpoint", StringComparison.Ordinal) ? n[..^".Endpoint".Length] : n)];

    /// <summary>
    /// Per endpoint, the calls with A's values. <c>Allowed</c> empty: any answer below 500 (a list or B's own resource)
    /// that holds none of A's values; otherwise the answer's status must be one of them.
    /// </summary>
    private static Dictionary<string, Walk[]> Cases(ApiTenant a, ApiTenant b)
    {
        var session = Uri.EscapeDataString(a.SessionId);
        var filters = $"session={session}&endpoint={a.EndpointId}&person={Uri.EscapeDataString(a.OwnerEmail)}";
        return new()
        {
            ["Accounts.Me"] = [Call("GET", "/api/v1/me")],
            ["Accounts.SignUp"] =
            [
                Call("POST", "/api/v1/signup", new { tenantId = a.TenantId, tenantName = "Taken", email = $"new@{b.TenantId}.example", password = ApiTenant.Password }, 409),
                Call("POST", "/api/v1/signup", new { tenantId = a.TenantId + "-x", tenantName = "Taken", email = a.OwnerEmail, password = ApiTenant.Password }, 409),
            ],
            ["Accounts.SignIn"] =
            [
                Call("POST", "/api/v1/session", new { email = b.OwnerEmail, password = ApiTenant.Password, tenantId = a.TenantId }, 403),
                Call("POST", "/api/v1/session", new { email = a.OwnerEmail, password = "not A's password at all" }, 401),
            ],
            ["Accounts.SignOut"] = [Call("DELETE", "/api/v1/session")],
            ["Accounts.SwitchTenant"] = [Call("PUT", "/api/v1/session/tenant", new { tenantId = a.TenantId }, 400, 403)],
            ["Invitations.Accept"] = [Call("POST", $"/api/v1/invitations/{a.UsedInvitationToken}", new { password = ApiTenant.Password }, 404, 410)],
            ["Members.List"] = [Call("GET", "/api/v1/members")],
            ["Members.Invite"] = [Call("POST", "/api/v1/members", new { email = $"x@{b.TenantId}.example", role = "auditor", tenantId = a.TenantId }, 400)],
            ["Members.ChangeRole"] = [Call("PATCH", $"/api/v1/members/{a.MemberId("auditor")}", new { role = "admin" }, Hidden)],
            ["Members.Remove"] = [Call("DELETE", $"/api/v1/members/{a.MemberId("developer")}", null, Hidden)],
            ["Keys.List"] = [Call("GET", "/api/v1/keys")],
            ["Keys.Issue"] =
            [
                Call("POST", "/api/v1/keys", new { name = "stolen", kind = "apiKey", scopes = new List<string> { "events:read" }, tenantId = a.TenantId }, 400),
                Call("POST", "/api/v1/keys", new { name = "theirs", kind = "personalAccessToken", scopes = new[] { $"db:connect:{a.EndpointId}" } }),
            ],
            ["Keys.Revoke"] = [Call("DELETE", $"/api/v1/keys/{a.ApiKeyId}", null, Hidden), Call("DELETE", $"/api/v1/keys/{a.TokenId}", null, Hidden)],
            ["Endpoints.List"] = [Call("GET", "/api/v1/endpoints?includeDeleted=true")],
            ["Endpoints.Get"] = [Call("GET", $"/api/v1/endpoints/{a.EndpointId}", null, Hidden)],
            ["Endpoints.Create"] = [Call("POST", "/api/v1/endpoints", new { id = a.EndpointId, upstreamHost = "127.0.0.1" }, 409)],
            ["Endpoints.Update"] = [Call("PATCH", $"/api/v1/endpoints/{a.EndpointId}", new { maxConnections = 1 }, Hidden)],
            ["Endpoints.Enable"] = [Call("POST", $"/api/v1/endpoints/{a.EndpointId}/enable", null, Hidden)],
            ["Endpoints.Disable"] = [Call("POST", $"/api/v1/endpoints/{a.EndpointId}/disable", null, Hidden)],
            ["Endpoints.Delete"] = [Call("DELETE", $"/api/v1/endpoints/{a.EndpointId}", null, Hidden)],
            ["Endpoints.Test"] = [Call("POST", $"/api/v1/endpoints/{a.EndpointId}/test", new { }, Hidden)],
            ["Endpoints.TestUnsaved"] = [Call("POST", "/api/v1/endpoints/test", new { upstreamHost = "127.0.0.1", upstreamPort = 1, tlsMode = "disable" })],
            ["Policies.List"] = [Call("GET", "/api/v1/policies")],
            ["Policies.Current"] = [Call("GET", "/api/v1/policies/current")],
            ["Policies.Get"] = [Call("GET", $"/api/v1/policies/{a.PolicyVersion}")],
            ["Policies.Diff"] = [Call("GET", $"/api/v1/policies/{a.PolicyVersion}/diff/{a.PolicyVersion}")],
            ["Policies.Publish"] = [Call("POST", "/api/v1/policies", $"{{\"tenantId\":\"{a.TenantId}\",\"rules\":[]}}", 400)],
            ["Policies.DryRun"] =
            [
                Call("POST", "/api/v1/policies/dry-run", new { document = new { rules = new[] { new { id = "all", effect = "redact" } } }, from = "2000-01-01T00:00:00Z" }),
                Call("POST", "/api/v1/policies/dry-run", new { document = new { rules = new[] { new { id = "theirs", effect = "redact", endpoints = new[] { a.EndpointId } } } }, limit = 10000 }),
            ],
            ["Sessions.List"] = [Call("GET", $"/api/v1/sessions?endpoint={a.EndpointId}&person={Uri.EscapeDataString(a.OwnerEmail)}")],
            ["Sessions.Get"] = [Call("GET", $"/api/v1/sessions/{session}", null, Hidden)],
            ["Sessions.Timeline"] = [Call("GET", $"/api/v1/sessions/{session}/timeline", null, Hidden)],
            ["Events.List"] = [Call("GET", $"/api/v1/events?{filters}"), Call("GET", $"/api/v1/events?q=marker-{a.TenantId}-sql")],
            ["Events.Get"] = [Call("GET", $"/api/v1/events/{Uri.EscapeDataString(a.EventId)}", null, Hidden), Call("GET", $"/api/v1/events/index:{a.EventIndex}")],
            ["Events.Facets"] = [Call("GET", $"/api/v1/events/facets?{filters}"), Call("GET", "/api/v1/events/facets")],
            ["Events.Histogram"] = [Call("GET", $"/api/v1/events/histogram?{filters}")],
            ["Events.ValueHash"] = [Call("POST", "/api/v1/events/value-hash", new { value = $"marker-{a.TenantId}-sql" })],
            ["Events.Export"] = [Call("GET", $"/api/v1/events/export?format=jsonl&{filters}"), Call("GET", "/api/v1/events/export?format=csv")],
            ["Ledger.Status"] = [Call("GET", "/api/v1/ledger")],
            ["Ledger.Verify"] = [Call("GET", "/api/v1/ledger/verify")],
            ["Ledger.InclusionProof"] = [Call("GET", $"/api/v1/ledger/proofs/inclusion?index={a.EventIndex}")],
            ["Ledger.ConsistencyProof"] = [Call("GET", "/api/v1/ledger/proofs/consistency?from=1&to=2")],
            ["Ledger.Export"] = [Call("GET", "/api/v1/ledger/export")],
            ["Ledger.Keys"] = [Call("GET", "/api/v1/ledger/keys")],
            ["Ledger.WellKnownKeys"] = [Call("GET", "/.well-known/tenants/ledger-keys")],
            ["Ledger.Verifications.Start"] = [Call("POST", "/api/v1/ledger/verifications")],
            ["Ledger.Verifications.Get"] = [Call("GET", $"/api/v1/ledger/verifications/{a.VerificationId}", null, Hidden), Call("GET", $"/api/v1/ledger/verifications/{a.ExportId}", null, Hidden)],
            ["Exports.List"] = [Call("GET", "/api/v1/exports?limit=100")],
            ["Exports.Create"] = [Call("POST", "/api/v1/exports", new { session = a.SessionId, endpoint = a.EndpointId })],
            ["Exports.Get"] = [Call("GET", $"/api/v1/exports/{a.ExportId}", null, Hidden), Call("GET", $"/api/v1/exports/{a.VerificationId}", null, Hidden)],
            ["Exports.Download"] = [Call("GET", a.DownloadPath, null, Hidden)],
            ["AccessRequests.List"] = [Call("GET", $"/api/v1/access-requests?member={a.MemberId("developer")}&endpoint={a.EndpointId}"), Call("GET", "/api/v1/access-requests")],
            ["AccessRequests.Get"] = [Call("GET", $"/api/v1/access-requests/{a.AccessRequestId}", null, Hidden)],
            ["AccessRequests.Create"] = [Call("POST", "/api/v1/access-requests", new { endpointId = a.EndpointId, reason = "let me in", minutes = 5 }, 404, 409)],
            ["AccessRequests.Approve"] = [Call("POST", $"/api/v1/access-requests/{a.AccessRequestId}/approve", new { note = "ok" }, Hidden)],
            ["AccessRequests.Reject"] = [Call("POST", $"/api/v1/access-requests/{a.AccessRequestId}/reject", new { }, Hidden)],
            ["AccessRequests.Revoke"] = [Call("POST", $"/api/v1/access-requests/{a.AccessRequestId}/revoke", null, Hidden)],
            ["Webhooks.List"] = [Call("GET", "/api/v1/webhooks")],
            ["Webhooks.Get"] = [Call("GET", $"/api/v1/webhooks/{a.WebhookId}", null, Hidden)],
            ["Webhooks.Create"] = [Call("POST", "/api/v1/webhooks", new { url = "http://169.254.169.254/latest", filter = new { endpoints = new[] { a.EndpointId } } }, 400)],
            ["Webhooks.Delete"] = [Call("DELETE", $"/api/v1/webhooks/{a.WebhookId}", null, Hidden)],
            ["Webhooks.Test"] = [Call("POST", $"/api/v1/webhooks/{a.WebhookId}/test", null, Hidden)],
            ["Webhooks.Deliveries"] = [Call("GET", $"/api/v1/webhooks/{a.WebhookId}/deliveries", null, Hidden)],
            ["Webhooks.DeadLetters"] = [Call("GET", $"/api/v1/webhooks/{a.WebhookId}/dead-letters", null, Hidden)],
            ["Webhooks.Redeliver"] = [Call("POST", $"/api/v1/webhooks/{a.WebhookId}/dead-letters/{NoDelivery}/redeliver", null, Hidden)],
        };
    }

    private static async Task<List<string>> CheckAsync(ApiCaller caller, string endpoint, Walk walk, IReadOnlyList<string> markers)
    {
        var failures = new List<string>();
        using var response = await caller.SendAsync(new HttpMethod(walk.Method), walk.Path, walk.Body);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        var what = $"{caller} {endpoint}: {walk.Method} {walk.Path} -> {status}";
        var sent = walk.Path + " " + (walk.Body is null ? "" : walk.Body as string ?? JsonSerializer.Serialize(walk.Body));
        if (status >= 500)
        {
            failures.Add($"{what}: a server error: {Head(body)}");
        }
        else if (walk.Allowed.Length > 0 && !walk.Allowed.Contains(status))
        {
            failures.Add($"{what}, expected {string.Join(" or ", walk.Allowed)}: {Head(body)}");
        }

        if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            failures.Add($"{what}: the error is not problem details ({response.Content.Headers.ContentType})");
        }

        // A's values the request did not carry itself must never come back (an echoed filter is the caller's own).
        foreach (var marker in markers.Where(m => !sent.Contains(m, StringComparison.Ordinal)))
        {
            if (body.Contains(marker, StringComparison.Ordinal))
            {
                failures.Add($"{what}: the answer holds tenant A's '{marker}': {Head(body)}");
            }
        }

        return failures;
    }

    private static string Head(string body) => body.Length > 300 ? body[..300] + "..." : body;

    private static Walk Call(string method, string path, object? body = null, params int[] allowed) => new(method, path, body, allowed);

    private sealed record Walk(string Method, string Path, object? Body, int[] Allowed);
}
