using Tenants.Abstractions.Tenancy;
using Tenants.Testing;

namespace Tenants.Grains.Tests.Tenancy;

public sealed class TenantGrainAccessGrantTests(AccessGrantFixture fixture) : IClassFixture<AccessGrantFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Request_ApprovedByAdmin_IsInForceUntilApprovalPlusMinutes_AndInTheEdgeSnapshot()
    {
        var (tenant, endpoint) = await fixture.CreateTenantAsync();
        var before = (await tenant.GetEdgePolicyAsync())!;

        var request = await tenant.RequestAccessAsync("dev", endpoint, "INC-42: fix the orders table", 30);
        var pending = (await tenant.GetEdgePolicyAsync())!;
        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        var approved = await tenant.DecideAccessAsync("ada", request.Id, approve: true, "ok for INC-42");
        var after = (await tenant.GetEdgePolicyAsync())!;

        Assert.Equal((AccessGrantStatus.Pending, "dev", 30), (request.Status, request.MemberId, request.Minutes));
        Assert.Empty(pending.Grants);
        Assert.True(pending.TenantVersion > before.TenantVersion);
        Assert.Equal((AccessGrantStatus.Approved, "ada", "ok for INC-42"), (approved.Status, approved.DecidedBy, approved.Note));
        Assert.Equal(fixture.Time.GetUtcNow().AddMinutes(30), approved.ExpiresAt);
        var grant = Assert.Single(after.Grants);
        Assert.Equal((request.Id, endpoint, "dev", approved.ExpiresAt!.Value), (grant.Id, grant.EndpointId, grant.MemberId, grant.ExpiresAt));
        Assert.True(after.TenantVersion > pending.TenantVersion);
        Assert.Equal(approved, Assert.Single(await tenant.GetAccessGrantsAsync()));
    }

    [Fact]
    public async Task Decide_OwnRequest_IsRefused_EvenForAnOwner_AndByADeveloper_AndTwice()
    {
        var (tenant, endpoint) = await fixture.CreateTenantAsync();
        var mine = await tenant.RequestAccessAsync("olivia", endpoint, "owner wants in", 60);
        var devs = await tenant.RequestAccessAsync("dev", endpoint, "dev wants in", 60);

        var self = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.DecideAccessAsync("olivia", mine.Id, approve: true, null));
        var developer = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.DecideAccessAsync("devon", devs.Id, approve: true, null));
        await tenant.DecideAccessAsync("ada", devs.Id, approve: false, "not today");
        var twice = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.DecideAccessAsync("olivia", devs.Id, approve: true, null));

        Assert.Equal($"member 'olivia' cannot decide their own access request '{mine.Id}': another owner or admin must", self.Message);
        Assert.Equal("member 'devon' is Developer; only an owner or admin may decide access requests", developer.Message);
        Assert.Equal($"access request '{devs.Id}' is rejected already; only a pending request can be decided", twice.Message);
        Assert.Empty((await tenant.GetEdgePolicyAsync())!.Grants);
        Assert.Equal([AccessGrantStatus.Pending, AccessGrantStatus.Rejected], (await tenant.GetAccessGrantsAsync()).Select(g => g.Status));
    }

    [Fact]
    public async Task Request_BadInput_IsRefusedWithWhatToFix_AndChangesNothing()
    {
        var (tenant, endpoint) = await fixture.CreateTenantAsync();
        await tenant.AddEndpointAsync("olivia", new EndpointSettings { Id = endpoint + "-old", UpstreamHost = "db.internal" });
        await tenant.DeleteEndpointAsync("olivia", endpoint + "-old");
        var version = (await tenant.GetAccountAsync())!.Version;

        async Task<string> Refusal(string actor, string endpointId, string reason, int minutes) =>
            (await Assert.ThrowsAsync<TenantValidationException>(() => tenant.RequestAccessAsync(actor, endpointId, reason, minutes))).Message;

        Assert.StartsWith("the reason for an access request must be 1-500 characters", await Refusal("dev", endpoint, " ", 60));
        Assert.StartsWith("the reason for an access request must be 1-500 characters", await Refusal("dev", endpoint, new string('x', 501), 60));
        Assert.StartsWith("the reason for an access request must be 1-500 characters", await Refusal("dev", endpoint, "a\u0000b", 60));
        Assert.Equal("an access grant lasts 1 to 1440 minutes, not 0", await Refusal("dev", endpoint, "why", 0));
        Assert.Equal("an access grant lasts 1 to 1440 minutes, not 1441", await Refusal("dev", endpoint, "why", 1441));
        Assert.Equal($"tenant '{tenant.GetPrimaryKeyString()}' has no endpoint 'nope'", await Refusal("dev", "nope", "why", 60));
        Assert.StartsWith("endpoint id 'Bad Id' is not valid", await Refusal("dev", "Bad Id", "why", 60));
        Assert.Equal($"endpoint '{endpoint}-old' is deleted; access to it cannot be requested or granted", await Refusal("dev", endpoint + "-old", "why", 60));
        Assert.Equal($"'mallory' is not a member of tenant '{tenant.GetPrimaryKeyString()}'", await Refusal("mallory", endpoint, "why", 60));
        var badId = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.DecideAccessAsync("ada", "../../etc", approve: true, null));
        var unknown = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.RevokeAccessAsync("ada", "01ARZ3NDEKTSV4RRFFQ69G5FAV"));

        Assert.Equal("access request id '../../etc' is not valid: it is 26 letters and digits", badId.Message);
        Assert.Equal($"tenant '{tenant.GetPrimaryKeyString()}' has no access request '01ARZ3NDEKTSV4RRFFQ69G5FAV'", unknown.Message);
        Assert.Empty(await tenant.GetAccessGrantsAsync());
        Assert.Equal(version, (await tenant.GetAccountAsync())!.Version);
    }

    [Fact]
    public async Task Request_MoreThanTenPending_IsRefused_UntilOneIsWithdrawn()
    {
        var (tenant, endpoint) = await fixture.CreateTenantAsync();
        var first = await tenant.RequestAccessAsync("dev", endpoint, "request 1", 60);
        for (var i = 2; i <= 10; i++)
        {
            await tenant.RequestAccessAsync("dev", endpoint, $"request {i}", 60);
        }

        var eleventh = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.RequestAccessAsync("dev", endpoint, "request 11", 60));
        var someoneElse = await tenant.RequestAccessAsync("devon", endpoint, "devon's own", 60);
        var withdrawn = await tenant.RevokeAccessAsync("dev", first.Id);
        var afterWithdrawal = await tenant.RequestAccessAsync("dev", endpoint, "request 11", 60);

        Assert.Equal("member 'dev' has 10 pending access requests already (at most 10); withdraw one or wait for a decision", eleventh.Message);
        Assert.Equal(AccessGrantStatus.Pending, someoneElse.Status);
        Assert.Equal((AccessGrantStatus.Revoked, "dev"), (withdrawn.Status, withdrawn.RevokedBy));
        Assert.Equal(AccessGrantStatus.Pending, afterWithdrawal.Status);
    }

    [Fact]
    public async Task Revoke_OwnOrByAdmin_EndsTheGrantAtOnce_ButNotAnotherDevelopersGrant()
    {
        var (tenant, endpoint) = await fixture.CreateTenantAsync();
        var one = await tenant.RequestAccessAsync("dev", endpoint, "first", 60);
        var two = await tenant.RequestAccessAsync("dev", endpoint, "second", 60);
        await tenant.DecideAccessAsync("ada", one.Id, approve: true, null);
        await tenant.DecideAccessAsync("olivia", two.Id, approve: true, null);

        var notTheirs = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.RevokeAccessAsync("devon", one.Id));
        var own = await tenant.RevokeAccessAsync("dev", one.Id);
        var again = await tenant.RevokeAccessAsync("dev", one.Id);
        var byAdmin = await tenant.RevokeAccessAsync("ada", two.Id);

        Assert.Equal("member 'devon' may revoke only their own access requests; an owner or admin may revoke any", notTheirs.Message);
        Assert.Equal((AccessGrantStatus.Revoked, "dev"), (own.Status, own.RevokedBy));
        Assert.Equal(own, again);
        Assert.Equal((AccessGrantStatus.Revoked, "ada"), (byAdmin.Status, byAdmin.RevokedBy));
        Assert.Empty((await tenant.GetEdgePolicyAsync())!.Grants);
    }

    [Fact]
    public async Task Expiry_WhenTimePasses_LeavesTheSnapshot_AndIsALedgerEvent()
    {
        var (tenant, endpoint) = await fixture.CreateTenantAsync();
        var request = await tenant.RequestAccessAsync("dev", endpoint, "short job", 5);
        var approved = await tenant.DecideAccessAsync("ada", request.Id, approve: true, null);
        var inForce = (await tenant.GetEdgePolicyAsync())!;

        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        var expired = (await tenant.GetEdgePolicyAsync())!;
        var revoke = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.RevokeAccessAsync("dev", request.Id));

        Assert.Single(inForce.Grants);
        Assert.Empty(expired.Grants);
        Assert.True(expired.TenantVersion > inForce.TenantVersion);
        Assert.Equal(AccessGrantStatus.Expired, Assert.Single(await tenant.GetAccessGrantsAsync()).Status);
        Assert.Equal($"access request '{request.Id}' is expired already; only a pending or approved one can be revoked", revoke.Message);
        var messages = await Eventually.MatchAsync(() => fixture.LedgerMessagesAsync(tenant.GetPrimaryKeyString()),
            m => m.Any(x => x.Contains("expired at", StringComparison.Ordinal)), Patience, m => string.Join("\n", m));
        Assert.Contains(messages, m => m.StartsWith($"member 'dev' requested access to endpoint '{endpoint}' for 5 minutes (access request '{request.Id}'), reason: short job", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith($"member 'ada' approved access request '{request.Id}' of member 'dev' to endpoint '{endpoint}' until {approved.ExpiresAt:O}", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith($"access grant '{request.Id}' of member 'dev' to endpoint '{endpoint}' expired at {approved.ExpiresAt:O}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Expiry_WhileTheGrainIsNotActive_IsRecordedOnActivation_AndStateReadsBackAsWritten()
    {
        var (tenant, endpoint) = await fixture.CreateTenantAsync();
        var pending = await tenant.RequestAccessAsync("dev", endpoint, "still waiting", 60);
        var request = await tenant.RequestAccessAsync("devon", endpoint, "quick look", 10);
        await tenant.DecideAccessAsync("ada", request.Id, approve: true, "go ahead");
        var stored = await tenant.GetAccessGrantsAsync();

        await fixture.Silo.Cluster.DeactivateAsync(tenant);
        var readBack = await tenant.GetAccessGrantsAsync();
        await fixture.Silo.Cluster.DeactivateAsync(tenant);
        fixture.Time.Advance(TimeSpan.FromMinutes(11));
        await tenant.GetAccountAsync();

        Assert.Equal(stored, readBack);
        var messages = await Eventually.MatchAsync(() => fixture.LedgerMessagesAsync(tenant.GetPrimaryKeyString()),
            m => m.Any(x => x.Contains("expired at", StringComparison.Ordinal)), Patience, m => string.Join("\n", m));
        Assert.Single(messages, m => m.StartsWith($"access grant '{request.Id}' of member 'devon'", StringComparison.Ordinal));
        Assert.Equal([(pending.Id, AccessGrantStatus.Pending), (request.Id, AccessGrantStatus.Expired)],
            (await tenant.GetAccessGrantsAsync()).Select(g => (g.Id, g.Status)));
    }

    [Fact]
    public async Task Expiry_WithNoCallsAfterApproval_IsRecordedByTheGrainsTimer()
    {
        var (tenant, endpoint) = await fixture.CreateTenantAsync();
        var request = await tenant.RequestAccessAsync("dev", endpoint, "timer", 1);
        await tenant.DecideAccessAsync("ada", request.Id, approve: true, null);

        // Nothing calls the grain from here: only its timer can record the expiry.
        fixture.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        await Eventually.MatchAsync(() => fixture.LedgerMessagesAsync(tenant.GetPrimaryKeyString()),
            m => m.Any(x => x.StartsWith($"access grant '{request.Id}' of member 'dev' to endpoint '{endpoint}' expired at", StringComparison.Ordinal)),
            Patience, m => string.Join("\n", m));
    }

    [Fact]
    public async Task Snapshot_LeavesOutGrantsOfRemovedMembersAndDeletedEndpoints()
    {
        var (tenant, endpoint) = await fixture.CreateTenantAsync();
        await tenant.AddEndpointAsync("olivia", new EndpointSettings { Id = endpoint + "-2", UpstreamHost = "db.internal" });
        var devs = await tenant.RequestAccessAsync("dev", endpoint, "dev's", 60);
        var devons = await tenant.RequestAccessAsync("devon", endpoint + "-2", "devon's", 60);
        var kept = await tenant.RequestAccessAsync("devon", endpoint, "devon's other", 60);
        foreach (var id in new[] { devs.Id, devons.Id, kept.Id })
        {
            await tenant.DecideAccessAsync("ada", id, approve: true, null);
        }

        await tenant.RemoveMemberAsync("olivia", "dev");
        await tenant.DeleteEndpointAsync("olivia", endpoint + "-2");

        Assert.Equal([kept.Id], (await tenant.GetEdgePolicyAsync())!.Grants.Select(g => g.Id));
    }
}
