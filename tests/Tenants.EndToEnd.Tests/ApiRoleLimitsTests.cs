using System.Net.Http.Json;
using System.Text.Json;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Role limits per endpoint, against the real API with real members of every role and API keys of one scope each. The
/// specification is docs/api.md: the permission column per endpoint, and the permissions of each role (owners and
/// admins manage everything; auditors read and export; developers read endpoints, events, the ledger and policy).
/// A caller allowed an endpoint never gets 403; any other gets 403 problem details. Every endpoint of the Api assembly
/// must have a row.
/// </summary>
[Collection(ApiIsolationCollection.Name)]
public sealed class ApiRoleLimitsTests(ApiIsolationFixture fixture)
{
    /// <summary>Anyone authenticated (or anonymous) may call it; its own rules are tested in the feature's tests.</summary>
    private const string Anyone = "";

    // docs/api.md, "Permissions by role".
    private static readonly Dictionary<string, string[]> RolePermissions = new()
    {
        ["owner"] = ["events:read", "ledger:read", "exports:write", "endpoints:read", "endpoints:write", "policy:read", "policy:write", "members:read", "members:write", "webhooks:write", "access:request", "access:decide"],
        ["admin"] = ["events:read", "ledger:read", "exports:write", "endpoints:read", "endpoints:write", "policy:read", "policy:write", "members:read", "members:write", "webhooks:write", "access:request", "access:decide"],
        ["auditor"] = ["events:read", "ledger:read", "exports:write", "endpoints:read", "policy:read", "members:read", "access:request"],
        ["developer"] = ["events:read", "ledger:read", "endpoints:read", "policy:read", "access:request"],
    };

    private const string NoJob = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

    private const string NoWebhook = "wh_01arz3ndektsv4rrffq69g5fav";

    /// <summary>docs/api.md's permission per endpoint, with a harmless call (unknown ids, invalid bodies) to check it with.</summary>
    private static readonly Dictionary<string, Row> Table = new()
    {
        ["Accounts.Me"] = new(Anyone, "GET", "/api/v1/me"),
        ["Accounts.SignUp"] = new(Anyone, null, null),
        ["Accounts.SignIn"] = new(Anyone, null, null),
        ["Accounts.SignOut"] = new(Anyone, null, null),
        ["Accounts.SwitchTenant"] = new(Anyone, null, null),
        ["Invitations.Accept"] = new(Anyone, null, null),
        ["Ledger.Keys"] = new(Anyone, "GET", "/api/v1/ledger/keys"),
        ["Ledger.WellKnownKeys"] = new(Anyone, "GET", "/.well-known/tenants/ledger-keys"),
        ["Keys.List"] = new(Anyone, "GET", "/api/v1/keys"),
        ["Keys.Revoke"] = new(Anyone, "DELETE", "/api/v1/keys/" + NoJob),
        ["Keys.Issue"] = new("members:write", "POST", "/api/v1/keys", "{\"name\":\"role test\",\"kind\":\"apiKey\",\"scopes\":[\"members:read\"]}"),
        ["Members.List"] = new("members:read", "GET", "/api/v1/members"),
        ["Members.Invite"] = new("members:write", "POST", "/api/v1/members", "{\"email\":\"not an email\",\"role\":\"auditor\"}"),
        ["Members.ChangeRole"] = new("members:write", "PATCH", "/api/v1/members/nobody", "{\"role\":\"admin\"}"),
        ["Members.Remove"] = new("members:write", "DELETE", "/api/v1/members/nobody"),
        ["Endpoints.List"] = new("endpoints:read", "GET", "/api/v1/endpoints"),
        ["Endpoints.Get"] = new("endpoints:read", "GET", "/api/v1/endpoints/nope"),
        ["Endpoints.Create"] = new("endpoints:write", "POST", "/api/v1/endpoints", "{}"),
        ["Endpoints.Update"] = new("endpoints:write", "PATCH", "/api/v1/endpoints/nope", "{}"),
        ["Endpoints.Enable"] = new("endpoints:write", "POST", "/api/v1/endpoints/nope/enable"),
        ["Endpoints.Disable"] = new("endpoints:write", "POST", "/api/v1/endpoints/nope/disable"),
        ["Endpoints.Delete"] = new("endpoints:write", "DELETE", "/api/v1/endpoints/nope"),
        ["Endpoints.Test"] = new("endpoints:write", "POST", "/api/v1/endpoints/nope/test", "{}"),
        ["Endpoints.TestUnsaved"] = new("endpoints:write", "POST", "/api/v1/endpoints/test", "{}"),
        ["Policies.List"] = new("policy:read", "GET", "/api/v1/policies"),
        ["Policies.Current"] = new("policy:read", "GET", "/api/v1/policies/current"),
        ["Policies.Get"] = new("policy:read", "GET", "/api/v1/policies/9999"),
        ["Policies.Diff"] = new("policy:read", "GET", "/api/v1/policies/9999/diff/9998"),
        ["Policies.Publish"] = new("policy:write", "POST", "/api/v1/policies", "{\"rules\":\"none\"}"),
        ["Policies.DryRun"] = new("policy:read+events:read", "POST", "/api/v1/policies/dry-run", "{\"limit\":0}"),
        ["Sessions.List"] = new("events:read", "GET", "/api/v1/sessions?limit=1"),
        ["Sessions.Get"] = new("events:read", "GET", "/api/v1/sessions/nope"),
        ["Sessions.Timeline"] = new("events:read", "GET", "/api/v1/sessions/nope/timeline"),
        ["Events.List"] = new("events:read", "GET", "/api/v1/events?limit=1"),
        ["Events.Get"] = new("events:read", "GET", "/api/v1/events/index:999999"),
        ["Events.Facets"] = new("events:read", "GET", "/api/v1/events/facets?fields=kind"),
        ["Events.Histogram"] = new("events:read", "GET", "/api/v1/events/histogram"),
        ["Events.Export"] = new("exports:write", "GET", "/api/v1/events/export"),
        ["Events.ValueHash"] = new("events:read", "POST", "/api/v1/events/value-hash", "{\"value\":\"x\"}"),
        ["Ledger.Status"] = new("ledger:read", "GET", "/api/v1/ledger"),
        ["Ledger.Verify"] = new("ledger:read", "GET", "/api/v1/ledger/verify"),
        ["Ledger.InclusionProof"] = new("ledger:read", "GET", "/api/v1/ledger/proofs/inclusion?index=0"),
        ["Ledger.ConsistencyProof"] = new("ledger:read", "GET", "/api/v1/ledger/proofs/consistency?from=1&to=1"),
        ["Ledger.Export"] = new("exports:write", "GET", "/api/v1/ledger/export?from=5&to=1"),
        ["Ledger.Verifications.Start"] = new("ledger:read", "POST", "/api/v1/ledger/verifications"),
        ["Ledger.Verifications.Get"] = new("ledger:read", "GET", "/api/v1/ledger/verifications/" + NoJob),
        ["Exports.List"] = new("exports:write", "GET", "/api/v1/exports?limit=1"),
        ["Exports.Create"] = new("exports:write", "POST", "/api/v1/exports", "{\"minRows\":\"many\"}"),
        ["Exports.Get"] = new("exports:write", "GET", "/api/v1/exports/" + NoJob),
        ["Exports.Download"] = new("exports:write", "GET", $"/api/v1/exports/{NoJob}/download"),
        ["AccessRequests.Create"] = new("access:request", "POST", "/api/v1/access-requests", "{\"endpointId\":\"nope\"}"),
        ["AccessRequests.List"] = new("access:request", "GET", "/api/v1/access-requests"),
        ["AccessRequests.Get"] = new("access:request", "GET", "/api/v1/access-requests/" + NoJob),
        ["AccessRequests.Revoke"] = new("access:request", "POST", $"/api/v1/access-requests/{NoJob}/revoke"),
        ["AccessRequests.Approve"] = new("access:decide", "POST", $"/api/v1/access-requests/{NoJob}/approve", "{}"),
        ["AccessRequests.Reject"] = new("access:decide", "POST", $"/api/v1/access-requests/{NoJob}/reject", "{}"),
        ["Webhooks.List"] = new("events:read", "GET", "/api/v1/webhooks"),
        ["Webhooks.Get"] = new("events:read", "GET", "/api/v1/webhooks/" + NoWebhook),
        ["Webhooks.Deliveries"] = new("events:read", "GET", $"/api/v1/webhooks/{NoWebhook}/deliveries"),
        ["Webhooks.DeadLetters"] = new("events:read", "GET", $"/api/v1/webhooks/{NoWebhook}/dead-letters"),
        ["Webhooks.Create"] = new("webhooks:write", "POST", "/api/v1/webhooks", "{\"url\":\"ftp://nowhere\"}"),
        ["Webhooks.Delete"] = new("webhooks:write", "DELETE", "/api/v1/webhooks/" + NoWebhook),
        ["Webhooks.Test"] = new("webhooks:write", "POST", $"/api/v1/webhooks/{NoWebhook}/test"),
        ["Webhooks.Redeliver"] = new("webhooks:write", "POST", $"/api/v1/webhooks/{NoWebhook}/dead-letters/{NoJob}/redeliver"),
    };

    [Fact]
    public async Task EveryEndpoint_MembersOfEachRoleAndOneScopeKeys_AreAllowedExactlyWhatTheDocSays()
    {
        var missing = ApiIsolationTests.EndpointNames().Except(Table.Keys).Order().ToList();
        Assert.True(missing.Count == 0, $"no role-limit row for: {string.Join(", ", missing)}");
        var a = fixture.A;
        var keys = new Dictionary<string, ApiCaller>();
        foreach (var permission in Table.Values.SelectMany(r => r.Permissions).Distinct())
        {
            using var issued = await a.Members["owner"].SendAsync(HttpMethod.Post, "/api/v1/keys", new { name = $"only {permission}", kind = "apiKey", scopes = new List<string> { permission } });
            Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());
            keys[permission] = new ApiCaller($"API key with only {permission}", fixture.Bearer((await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!), null);
        }

        var failures = new List<string>();
        foreach (var (endpoint, row) in Table.Where(r => r.Value.Method is not null).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var callers = ApiIsolationFixture.Roles.Select(role => (a.Members[role], row.Permissions.All(RolePermissions[role].Contains)))
                .Concat(keys.Select(k => (k.Value, row.Permissions.All(p => p == k.Key))));
            foreach (var (caller, allowed) in callers)
            {
                using var response = await caller.SendAsync(new HttpMethod(row.Method!), row.Path!, row.Body);
                var status = (int)response.StatusCode;
                var what = $"{caller} {endpoint} ({row.Method} {row.Path}, {(row.Permission == Anyone ? "anyone" : row.Permission)}) -> {status}";
                if (status >= 500)
                {
                    failures.Add($"{what}: {await response.Content.ReadAsStringAsync()}");
                }
                else if (allowed && status is 401 or 403)
                {
                    failures.Add($"{what}, but it is allowed: {await response.Content.ReadAsStringAsync()}");
                }
                else if (!allowed && (status != 403 || response.Content.Headers.ContentType?.MediaType != "application/problem+json"))
                {
                    failures.Add($"{what}, expected 403 problem details");
                }
            }
        }

        foreach (var key in keys.Values)
        {
            key.Dispose();
        }

        Assert.True(failures.Count == 0, $"{failures.Count} role limits differ from docs/api.md:\n{string.Join("\n", failures)}");
    }

    /// <summary>A row: the permission docs/api.md names (or <see cref="Anyone"/>), and the call; no call for sign-in and such.</summary>
    private sealed record Row(string Permission, string? Method, string? Path, string? Body = null)
    {
        /// <summary>Every permission the row needs (<c>a+b</c> needs both); none for <see cref="Anyone"/>.</summary>
        public string[] Permissions => Permission == Anyone ? [] : Permission.Split('+');
    }
}
