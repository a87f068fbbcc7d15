using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tenants.Abstractions.Tenancy;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Access requests through the real API, as tenant B of the isolation platform: a developer asks, an admin decides (never
/// their own), grants are revoked and expire on time, each step is a <c>tenant_changed</c> event, and the edge's
/// snapshot (read from the cluster, as the edge reads it) holds exactly the grants in force.
/// </summary>
[Collection(ApiIsolationCollection.Name)]
public sealed class AccessRequestApiTests(ApiIsolationFixture fixture)
{
    private const string Path = "/api/v1/access-requests";

    [Fact]
    public async Task Request_AsDeveloper_IsApprovedByAnAdmin_ButNobodyApprovesTheirOwn()
    {
        var b = fixture.B;
        var (developer, admin, owner) = (b.Members["developer"], b.Members["admin"], b.Members["owner"]);

        var request = await JsonAsync(await developer.SendAsync(HttpMethod.Post, Path, new { endpointId = b.EndpointId, reason = "INC-7: orders stuck", minutes = 30 }), HttpStatusCode.Created);
        var id = request.GetProperty("id").GetString()!;
        var byDeveloper = await developer.SendAsync(HttpMethod.Post, $"{Path}/{id}/approve", new { });
        var adminsOwn = await JsonAsync(await admin.SendAsync(HttpMethod.Post, Path, new { endpointId = b.EndpointId, reason = "admin wants in too" }), HttpStatusCode.Created);
        var adminsOwnId = adminsOwn.GetProperty("id").GetString()!;
        var selfApproval = await ProblemAsync(await admin.SendAsync(HttpMethod.Post, $"{Path}/{adminsOwnId}/approve", new { note = "me" }), HttpStatusCode.Conflict);
        var approved = await JsonAsync(await admin.SendAsync(HttpMethod.Post, $"{Path}/{id}/approve", new { }), HttpStatusCode.OK);
        var twice = await ProblemAsync(await owner.SendAsync(HttpMethod.Post, $"{Path}/{id}/reject", new { }), HttpStatusCode.Conflict);
        var rejected = await JsonAsync(await owner.SendAsync(HttpMethod.Post, $"{Path}/{adminsOwnId}/reject", new { note = "use the runbook" }), HttpStatusCode.OK);
        using var apiKey = fixture.Bearer(b.ApiKeySecret);
        var byKey = await ProblemAsync(await apiKey.PostAsync(new Uri(Path, UriKind.Relative), JsonBody(new { endpointId = b.EndpointId, reason = "a robot" })), HttpStatusCode.Conflict);
        var developersList = await JsonAsync(await developer.SendAsync(HttpMethod.Get, Path), HttpStatusCode.OK);
        var adminsPending = await JsonAsync(await admin.SendAsync(HttpMethod.Get, $"{Path}?status=rejected&member={b.MemberId("admin")}"), HttpStatusCode.OK);
        var fromA = await fixture.A.Members["owner"].SendAsync(HttpMethod.Get, $"{Path}/{id}");
        using var token = fixture.Bearer(b.TokenSecret);
        var byToken = await JsonAsync(await token.PostAsync(new Uri(Path, UriKind.Relative), JsonBody(new { endpointId = b.EndpointId, reason = "from psql" })), HttpStatusCode.Created);

        Assert.Equal(("pending", b.MemberId("developer"), 30, "INC-7: orders stuck"),
            (request.GetProperty("status").GetString(), request.GetProperty("memberId").GetString(), request.GetProperty("minutes").GetInt32(), request.GetProperty("reason").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, byDeveloper.StatusCode);
        Assert.Equal(60, adminsOwn.GetProperty("minutes").GetInt32());
        Assert.Contains("cannot decide their own access request", selfApproval);
        Assert.Equal(("approved", b.MemberId("admin")), (approved.GetProperty("status").GetString(), approved.GetProperty("decidedBy").GetString()));
        Assert.Equal(approved.GetProperty("decidedAt").GetDateTimeOffset().AddMinutes(30), approved.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Contains("is approved already", twice);
        Assert.Equal(("rejected", "use the runbook"), (rejected.GetProperty("status").GetString(), rejected.GetProperty("note").GetString()));
        Assert.Contains("request access signed in or with your personal access token", byKey);
        Assert.All(developersList.GetProperty("items").EnumerateArray(), r => Assert.Equal(b.MemberId("developer"), r.GetProperty("memberId").GetString()));
        Assert.Contains(developersList.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Equal([adminsOwnId], adminsPending.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, fromA.StatusCode);
        Assert.Equal(b.MemberId("owner"), byToken.GetProperty("memberId").GetString());

        var snapshot = await SnapshotAsync(b.TenantId);
        var grant = Assert.Single(snapshot.Grants, g => g.Id == id);
        Assert.Equal((b.EndpointId, b.MemberId("developer")), (grant.EndpointId, grant.MemberId));
        Assert.DoesNotContain(snapshot.Grants, g => g.Id == adminsOwnId);
        await AssertChangedAsync(b.TenantId,
            $"member '{b.MemberId("developer")}' requested access to endpoint '{b.EndpointId}' for 30 minutes (access request '{id}'), reason: INC-7: orders stuck",
            $"member '{b.MemberId("admin")}' approved access request '{id}' of member '{b.MemberId("developer")}' to endpoint '{b.EndpointId}' until",
            $"member '{b.MemberId("owner")}' rejected access request '{adminsOwnId}' of member '{b.MemberId("admin")}' to endpoint '{b.EndpointId}', note: use the runbook");
        await JsonAsync(await developer.SendAsync(HttpMethod.Post, $"{Path}/{id}/revoke"), HttpStatusCode.OK);
        await JsonAsync(await token.PostAsync(new Uri($"{Path}/{byToken.GetProperty("id").GetString()}/revoke", UriKind.Relative), null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoke_OwnOrByAdmin_EndsTheGrant_ButOthersCannotSeeIt()
    {
        var b = fixture.B;
        var (developer, admin, auditor) = (b.Members["developer"], b.Members["admin"], b.Members["auditor"]);
        var pending = (await JsonAsync(await developer.SendAsync(HttpMethod.Post, Path, new { endpointId = b.EndpointId, reason = "withdraw me" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var granted = (await JsonAsync(await developer.SendAsync(HttpMethod.Post, Path, new { endpointId = b.EndpointId, reason = "end me early" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await JsonAsync(await admin.SendAsync(HttpMethod.Post, $"{Path}/{granted}/approve", new { }), HttpStatusCode.OK);

        var byAuditor = await auditor.SendAsync(HttpMethod.Post, $"{Path}/{granted}/revoke");
        var auditorGet = await auditor.SendAsync(HttpMethod.Get, $"{Path}/{granted}");
        var withdrawn = await JsonAsync(await developer.SendAsync(HttpMethod.Post, $"{Path}/{pending}/revoke"), HttpStatusCode.OK);
        var inForce = await SnapshotAsync(b.TenantId);
        var ended = await JsonAsync(await admin.SendAsync(HttpMethod.Post, $"{Path}/{granted}/revoke"), HttpStatusCode.OK);
        var decideWithdrawn = await ProblemAsync(await admin.SendAsync(HttpMethod.Post, $"{Path}/{pending}/approve", new { }), HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.NotFound, byAuditor.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, auditorGet.StatusCode);
        Assert.Equal(("revoked", b.MemberId("developer")), (withdrawn.GetProperty("status").GetString(), withdrawn.GetProperty("revokedBy").GetString()));
        Assert.Contains(inForce.Grants, g => g.Id == granted);
        Assert.Equal(("revoked", b.MemberId("admin")), (ended.GetProperty("status").GetString(), ended.GetProperty("revokedBy").GetString()));
        Assert.Contains("is revoked already", decideWithdrawn);
        Assert.DoesNotContain((await SnapshotAsync(b.TenantId)).Grants, g => g.Id == granted);
        await AssertChangedAsync(b.TenantId,
            $"member '{b.MemberId("developer")}' withdrew access request '{pending}'",
            $"member '{b.MemberId("admin")}' revoked access grant '{granted}' of member '{b.MemberId("developer")}'");
    }

    [Fact]
    public async Task Garbage_Input_Is400_AndUnknownOrForeignIds404_WithProblemDetails()
    {
        var b = fixture.B;
        var (developer, admin) = (b.Members["developer"], b.Members["admin"]);
        var bad = new (ApiCaller Caller, HttpMethod Method, string Path, object? Body, HttpStatusCode Status)[]
        {
            (developer, HttpMethod.Post, Path, "{not json", HttpStatusCode.BadRequest),
            (developer, HttpMethod.Post, Path, "[]", HttpStatusCode.BadRequest),
            (developer, HttpMethod.Post, Path, new { endpointId = b.EndpointId, reason = "x", minutes = 0 }, HttpStatusCode.BadRequest),
            (developer, HttpMethod.Post, Path, new { endpointId = b.EndpointId, reason = "x", minutes = 1441 }, HttpStatusCode.BadRequest),
            (developer, HttpMethod.Post, Path, new { endpointId = b.EndpointId, reason = "x", minutes = "many" }, HttpStatusCode.BadRequest),
            (developer, HttpMethod.Post, Path, new { endpointId = b.EndpointId, reason = new string('x', 501) }, HttpStatusCode.BadRequest),
            (developer, HttpMethod.Post, Path, new { endpointId = b.EndpointId, reason = "a\u0000b" }, HttpStatusCode.BadRequest),
            (developer, HttpMethod.Post, Path, new { endpointId = b.EndpointId }, HttpStatusCode.BadRequest),
            (developer, HttpMethod.Post, Path, new { endpointId = b.EndpointId, reason = "x", tenantId = fixture.A.TenantId }, HttpStatusCode.BadRequest),
            (developer, HttpMethod.Post, Path, new { endpointId = "Robert'); drop table", reason = "x" }, HttpStatusCode.BadRequest),
            (developer, HttpMethod.Post, Path, new { endpointId = fixture.A.EndpointId, reason = "theirs" }, HttpStatusCode.NotFound),
            (developer, HttpMethod.Post, Path, new { endpointId = "no-such-endpoint", reason = "x" }, HttpStatusCode.NotFound),
            (developer, HttpMethod.Get, $"{Path}/..%2F..%2Fetc", null, HttpStatusCode.BadRequest),
            (developer, HttpMethod.Get, $"{Path}?status=bogus", null, HttpStatusCode.BadRequest),
            (developer, HttpMethod.Get, $"{Path}?limit=0", null, HttpStatusCode.BadRequest),
            (developer, HttpMethod.Get, $"{Path}?before=x", null, HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, $"{Path}/{fixture.A.AccessRequestId}/approve", new { note = "ok" }, HttpStatusCode.NotFound),
            (admin, HttpMethod.Post, $"{Path}/{fixture.A.AccessRequestId}/approve", new { note = "a\u0001b" }, HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, $"{Path}/{fixture.A.AccessRequestId}/reject", "{\"note\":5}", HttpStatusCode.BadRequest),
        };

        var failures = new List<string>();
        foreach (var (caller, method, path, body, status) in bad)
        {
            using var response = await caller.SendAsync(method, path, body);
            if (response.StatusCode != status || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{caller} {method} {path} {body}: {(int)response.StatusCode} {response.Content.Headers.ContentType}, expected {(int)status} problem details: {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var mine = await JsonAsync(await developer.SendAsync(HttpMethod.Get, $"{Path}?status=pending"), HttpStatusCode.OK);
        Assert.DoesNotContain(mine.GetProperty("items").EnumerateArray(), r => r.GetProperty("reason").GetString() is "x" or "theirs");
    }

    [Fact]
    public async Task Grant_WhenItsMinutesPass_ShowsExpired_LeavesTheEdgeSnapshot_AndTheExpiryIsALedgerEvent()
    {
        var b = fixture.B;
        var id = (await JsonAsync(await b.Members["developer"].SendAsync(HttpMethod.Post, Path, new { endpointId = b.EndpointId, reason = "one minute only", minutes = 1 }), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        await JsonAsync(await b.Members["owner"].SendAsync(HttpMethod.Post, $"{Path}/{id}/approve", new { }), HttpStatusCode.OK);
        Assert.Contains((await SnapshotAsync(b.TenantId)).Grants, g => g.Id == id);

        // The shortest grant is a minute: this waits for it, polling (the grain's timer records the expiry).
        var expired = await Eventually.MatchAsync(
            async () => await JsonAsync(await b.Members["developer"].SendAsync(HttpMethod.Get, $"{Path}/{id}"), HttpStatusCode.OK),
            r => r.GetProperty("status").GetString() == "expired", TimeSpan.FromSeconds(120), r => $"not expired: {r}");

        Assert.True(expired.GetProperty("expiresAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.DoesNotContain((await SnapshotAsync(b.TenantId)).Grants, g => g.Id == id);
        await AssertChangedAsync(b.TenantId, $"access grant '{id}' of member '{b.MemberId("developer")}' to endpoint '{b.EndpointId}' expired at");
        var expiredList = await JsonAsync(await b.Members["admin"].SendAsync(HttpMethod.Get, $"{Path}?status=expired"), HttpStatusCode.OK);
        Assert.Contains(expiredList.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
    }

    /// <summary>What the edge would get for the tenant, from the tenant grain over an Orleans client of the Host's cluster.</summary>
    private async Task<EdgePolicySnapshot> SnapshotAsync(string tenantId)
    {
        using var client = await fixture.Platform.ClusterClientAsync();
        var snapshot = await client.Services.GetRequiredService<IClusterClient>().GetGrain<ITenantGrain>(tenantId).GetEdgePolicyAsync();
        return snapshot ?? throw new InvalidOperationException($"tenant {tenantId} has no snapshot");
    }

    /// <summary>Waits until the tenant's <c>tenant_changed</c> events hold a message starting with each of <paramref name="messages"/>.</summary>
    private async Task AssertChangedAsync(string tenantId, params string[] messages)
    {
        using var key = fixture.Bearer(tenantId == fixture.A.TenantId ? fixture.A.ApiKeySecret : fixture.B.ApiKeySecret);
        await Eventually.MatchAsync(
            async () => (await fixture.Platform.AllEventsAsync(key, "&kind=tenant_changed")).Events
                .Select(e => e.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "").ToList(),
            found => messages.All(m => found.Any(f => f.StartsWith(m, StringComparison.Ordinal))),
            ApiIsolationFixture.Patience,
            found => $"missing among the tenant_changed events: {string.Join(" | ", messages.Where(m => !found.Any(f => f.StartsWith(m, StringComparison.Ordinal))))}\nthere were:\n{string.Join("\n", found)}");
    }

    private static StringContent JsonBody(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    /// <summary>The problem's <c>detail</c> (or whole body), after checking the status and media type.</summary>
    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return body;
        }
    }
}
