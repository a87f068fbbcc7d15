using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Tests.Tenancy;

public sealed class TenantGrainTests(TenantGrainFixture fixture) : IClassFixture<TenantGrainFixture>
{
    private static readonly TenantMember Ada = new() { Id = "ada", Email = "ada@acme.example", Role = MemberRole.Admin };

    [Fact]
    public async Task Create_NewTenant_HasAccountOwnerAndVersionOne()
    {
        var tenant = fixture.Silo.Tenant(fixture.NewId("new"));
        Assert.Null(await tenant.GetAccountAsync());

        var account = await tenant.CreateAsync("Acme Ltd", TenantGrainFixture.Owner);

        Assert.Equal("Acme Ltd", account.DisplayName);
        Assert.Equal(1, account.Version);
        Assert.Equal("olivia", Assert.Single(await tenant.GetMembersAsync()).Id);
    }

    [Fact]
    public async Task Create_RepeatedSame_IsARetry_ButADifferentOneIsRefused()
    {
        var tenant = await fixture.CreateTenantAsync();

        var again = await tenant.CreateAsync("Acme Ltd", TenantGrainFixture.Owner);
        var other = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.CreateAsync("Other Ltd", TenantGrainFixture.Owner));

        Assert.Equal(1, again.Version);
        Assert.Equal($"tenant '{tenant.GetPrimaryKeyString()}' already exists", other.Message);
    }

    [Theory]
    [InlineData("Bad_Tenant", "tenant id 'Bad_Tenant' is not valid")]
    [InlineData("-dash", "tenant id '-dash' is not valid")]
    public async Task Create_BadTenantId_IsRefused(string tenantId, string expected)
    {
        var error = await Assert.ThrowsAsync<TenantValidationException>(() => fixture.Silo.Tenant(tenantId).CreateAsync("Acme", TenantGrainFixture.Owner));

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public async Task Create_FirstMemberNotOwnerOrBadEmail_IsRefused()
    {
        var tenant = fixture.Silo.Tenant(fixture.NewId("bad"));

        var notOwner = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.CreateAsync("Acme", Ada));
        var badEmail = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.CreateAsync("Acme", TenantGrainFixture.Owner with { Email = "olivia" }));
        var badName = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.CreateAsync(" ", TenantGrainFixture.Owner));

        Assert.Equal("the first member of a tenant must be an owner, not Admin", notOwner.Message);
        Assert.Equal("email 'olivia' of member 'olivia' is not an email address", badEmail.Message);
        Assert.StartsWith("display name must be 1-100 characters", badName.Message);
        Assert.Null(await tenant.GetAccountAsync());
    }

    [Fact]
    public async Task Change_ByNonMemberOrOnMissingTenant_IsRefused()
    {
        var tenant = await fixture.CreateTenantAsync();
        var missing = fixture.Silo.Tenant(fixture.NewId("missing"));

        var stranger = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.AddMemberAsync("mallory", Ada));
        var noTenant = await Assert.ThrowsAsync<TenantValidationException>(() => missing.PublishPolicyAsync("olivia", "{}"));

        Assert.Equal($"'mallory' is not a member of tenant '{tenant.GetPrimaryKeyString()}'", stranger.Message);
        Assert.Equal($"tenant '{missing.GetPrimaryKeyString()}' does not exist", noTenant.Message);
    }

    [Fact]
    public async Task Members_AddDuplicates_AreRefused()
    {
        var tenant = await fixture.CreateTenantAsync();
        await tenant.AddMemberAsync("olivia", Ada);

        var sameId = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.AddMemberAsync("olivia", Ada with { Email = "other@acme.example" }));
        var sameEmail = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.AddMemberAsync("olivia", Ada with { Id = "ada2", Email = "ADA@acme.example" }));
        var badId = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.AddMemberAsync("olivia", Ada with { Id = "Ada Lovelace" }));

        Assert.Contains("already has a member 'ada'", sameId.Message);
        Assert.Contains("already has a member with email 'ADA@acme.example'", sameEmail.Message);
        Assert.StartsWith("member id 'Ada Lovelace' is not valid", badId.Message);
        Assert.Equal(["olivia", "ada"], (await tenant.GetMembersAsync()).Select(m => m.Id));
    }

    [Fact]
    public async Task Members_LastOwner_CannotBeRemovedOrDemoted_UntilThereIsAnother()
    {
        var tenant = await fixture.CreateTenantAsync();
        await tenant.AddMemberAsync("olivia", Ada);

        var demote = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.ChangeMemberRoleAsync("ada", "olivia", MemberRole.Auditor));
        var remove = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.RemoveMemberAsync("olivia", "olivia"));
        await tenant.ChangeMemberRoleAsync("olivia", "ada", MemberRole.Owner);
        await tenant.RemoveMemberAsync("ada", "olivia");

        Assert.Contains("is the last owner", demote.Message);
        Assert.Contains("is the last owner", remove.Message);
        Assert.Equal((TenantRefusalKind.Conflict, TenantRefusalKind.Conflict), (demote.Kind, remove.Kind));
        var left = Assert.Single(await tenant.GetMembersAsync());
        Assert.Equal(("ada", MemberRole.Owner), (left.Id, left.Role));
    }

    [Fact]
    public async Task Keys_Issue_ReturnsTheSecretOnce_AndKeepsOnlyItsHash()
    {
        var tenant = await fixture.CreateTenantAsync();

        var issued = await tenant.IssueKeyAsync("olivia", new TenantKeyRequest { Name = "ci", Scopes = ["events:read"] });
        var second = await tenant.IssueKeyAsync("olivia", new TenantKeyRequest { Name = "ci2", Scopes = ["events:read"] });

        Assert.StartsWith($"tk_{tenant.GetPrimaryKeyString()}_{issued.Key.Id}_", issued.Secret);
        Assert.NotEqual(issued.Secret, second.Secret);
        var record = (await tenant.GetKeysAsync()).Single(k => k.Id == issued.Key.Id);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issued.Secret))), record.SecretSha256);
        Assert.Equal(("ci", "olivia", TenantKeyKind.ApiKey), (record.Name, record.IssuedBy, record.Kind));
        Assert.DoesNotContain(issued.Secret, JsonSerializer.Serialize(await tenant.GetKeysAsync()));
    }

    [Fact]
    public async Task Keys_Authenticate_AcceptsTheSecretUntilRevoked()
    {
        var tenant = await fixture.CreateTenantAsync();
        var issued = await tenant.IssueKeyAsync("olivia", new TenantKeyRequest { Name = "ci", Kind = TenantKeyKind.PersonalAccessToken, Scopes = ["events:read"] });

        var before = await tenant.AuthenticateKeyAsync(issued.Secret);
        var wrong = await tenant.AuthenticateKeyAsync(issued.Secret[..^2] + (issued.Secret.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"));
        var revoked = await tenant.RevokeKeyAsync("olivia", issued.Key.Id);
        var after = await tenant.AuthenticateKeyAsync(issued.Secret);

        Assert.Equal(issued.Key.Id, before?.Id);
        Assert.Null(wrong);
        Assert.NotNull(revoked.Revoked);
        Assert.Null(after);
    }

    [Fact]
    public async Task Keys_BadRequests_AreRefused()
    {
        var tenant = await fixture.CreateTenantAsync();

        var noScopes = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.IssueKeyAsync("olivia", new TenantKeyRequest { Name = "ci", Scopes = [] }));
        var badScope = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.IssueKeyAsync("olivia", new TenantKeyRequest { Name = "ci", Scopes = ["Events Read"] }));
        var expired = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.IssueKeyAsync("olivia",
            new TenantKeyRequest { Name = "ci", Scopes = ["events:read"], Expires = DateTimeOffset.UtcNow.AddMinutes(-1) }));
        var unknown = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.RevokeKeyAsync("olivia", "01NOSUCHKEY"));

        Assert.Equal("a key needs 1 to 32 scopes", noScopes.Message);
        Assert.StartsWith("scope 'Events Read' is not valid", badScope.Message);
        Assert.EndsWith("which is not in the future", expired.Message);
        Assert.Contains("has no key '01NOSUCHKEY'", unknown.Message);
        Assert.Empty(await tenant.GetKeysAsync());
    }

    private const string Redact = "{\"rules\":[{\"id\":\"hide-values\",\"effect\":\"redact\"}]}";

    [Fact]
    public async Task Policies_Publish_VersionsWithHashAndAuthor()
    {
        var tenant = await fixture.CreateTenantAsync();
        await tenant.AddMemberAsync("olivia", Ada);

        await tenant.PublishPolicyAsync("olivia", "{\"rules\":[]}");
        var second = await tenant.PublishPolicyAsync("ada", Redact);
        var empty = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.PublishPolicyAsync("ada", "  "));
        var broken = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.PublishPolicyAsync("ada", "{\"rules\":[1]}"));

        Assert.Equal((2, "ada"), (second.Version, second.Author));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Redact))), second.DocumentSha256);
        Assert.Equal([1, 2], (await tenant.GetPoliciesAsync()).Select(p => p.Version));
        Assert.Equal("a policy document must not be empty", empty.Message);
        Assert.Equal("the policy document does not compile (1 problem): $.rules[0]: a rule must be an object, not the number 1", broken.Message);
    }

    [Fact]
    public async Task Version_GoesUpByOnePerChange_AndNotForARefusalOrANoOp()
    {
        var tenant = await fixture.CreateTenantAsync();
        await tenant.AddMemberAsync("olivia", Ada);
        await tenant.AddMemberAsync("olivia", Ada);
        await Assert.ThrowsAsync<TenantValidationException>(() => tenant.RemoveMemberAsync("olivia", "nobody"));
        await tenant.ChangeMemberRoleAsync("olivia", "ada", MemberRole.Auditor);
        await tenant.ChangeMemberRoleAsync("olivia", "ada", MemberRole.Auditor);

        Assert.Equal(3, (await tenant.GetAccountAsync())!.Version);
    }

    [Fact]
    public async Task Changes_AreInTheTenantsLedger_WithWhoAndWhat_AndNeverASecret()
    {
        var tenant = await fixture.CreateTenantAsync();
        var tenantId = tenant.GetPrimaryKeyString();
        var endpointId = fixture.NewId("ledger-ep");
        await tenant.AddMemberAsync("olivia", Ada);
        await tenant.AddEndpointAsync("ada", new EndpointSettings { Id = endpointId, UpstreamHost = "db.internal" });
        var issued = await tenant.IssueKeyAsync("ada", new TenantKeyRequest { Name = "ci", Scopes = ["events:read"] });
        await tenant.PublishPolicyAsync("olivia", "{\"rules\":[]}");

        var entries = await fixture.LedgerEntriesAsync(tenantId);

        Assert.All(entries, e => Assert.Equal("tenant_changed", e.GetProperty("kind").GetString()));
        var messages = entries.Select(e => e.GetProperty("event").GetProperty("message").GetString()!).ToList();
        Assert.Equal(5, messages.Count);
        Assert.StartsWith("member 'olivia' created tenant 'Acme Ltd' with owner 'olivia'", messages[0]);
        Assert.StartsWith("member 'olivia' added member 'ada' (ada@acme.example) as Admin", messages[1]);
        Assert.StartsWith($"member 'ada' added endpoint '{endpointId}' (upstream db.internal:5432", messages[2]);
        Assert.StartsWith($"member 'ada' issued API key '{issued.Key.Id}' named 'ci'", messages[3]);
        Assert.StartsWith("member 'olivia' published policy version 1", messages[4]);
        Assert.Equal([string.Empty, string.Empty, endpointId, string.Empty, string.Empty],
            entries.Select(e => e.GetProperty("event").GetProperty("endpoint").GetString()));
        Assert.All(entries, e => Assert.Equal(string.Empty, e.GetProperty("event").GetProperty("session").GetString()));
        var secretPart = issued.Secret[(issued.Secret.LastIndexOf('_') + 1)..];
        Assert.DoesNotContain(entries, e => e.GetRawText().Contains(secretPart, StringComparison.Ordinal));
    }
}
