using Tenants.Abstractions.Secrets;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Tests.Tenancy;

/// <summary>Brokered endpoints: their sealed credential, and people signing in at them with personal access tokens.</summary>
public sealed class TenantGrainSignInTests(TenantGrainFixture fixture) : IClassFixture<TenantGrainFixture>
{
    private static readonly TenantMember Ada = new() { Id = "ada", Email = "Ada@Acme.example", Role = MemberRole.Developer };

    private static readonly CredentialProtector Protector = new([CredentialProtector.NewKey()]);

    [Fact]
    public async Task SignIn_WithAnActivePersonalAccessToken_NamesTheMember_ByIdOrEmailInAnyCase()
    {
        var (tenant, endpointId) = await BrokeredTenantAsync();
        var token = await IssueAsync(tenant, "ada", TenantScopes.Connect);

        var byId = await tenant.AuthenticatePersonAsync(endpointId, "ada", token.Secret);
        var byEmail = await tenant.AuthenticatePersonAsync(endpointId, "ada@acme.EXAMPLE", token.Secret);

        Assert.Equal(("ada", token.Key.Id, null), (byId.MemberId, byId.KeyId, byId.Failure));
        Assert.True(byEmail.Succeeded);
    }

    [Fact]
    public async Task SignIn_IsRefused_SayingWhy_ForEveryTokenThatMustNotWork()
    {
        var (tenant, endpointId) = await BrokeredTenantAsync();
        var tenantId = tenant.GetPrimaryKeyString();
        var good = await IssueAsync(tenant, "ada", TenantScopes.Connect);
        var apiKey = await tenant.IssueKeyAsync("ada", new TenantKeyRequest { Name = "automation", Scopes = [TenantScopes.Connect] });
        var readOnly = await IssueAsync(tenant, "ada", "events:read");
        var otherEndpoint = await IssueAsync(tenant, "ada", $"{TenantScopes.Connect}:some-other-endpoint");
        var revoked = await IssueAsync(tenant, "ada", TenantScopes.Connect);
        await tenant.RevokeKeyAsync("olivia", revoked.Key.Id);
        var other = await fixture.CreateTenantAsync("other");
        var foreign = await other.IssueKeyAsync("olivia", new TenantKeyRequest { Name = "t", Kind = TenantKeyKind.PersonalAccessToken, Scopes = [TenantScopes.Connect] });

        var cases = new (string Login, string Secret, string Failure)[]
        {
            ("olivia", good.Secret, $"token '{good.Key.Id}' belongs to member 'ada', not to 'olivia'"),
            ("ada", good.Secret[..^1] + (good.Secret.EndsWith('A') ? "B" : "A"), $"wrong secret for key '{good.Key.Id}'"),
            ("ada", apiKey.Secret, $"key '{apiKey.Key.Id}' is an API key, not a personal access token"),
            ("ada", readOnly.Secret, $"token '{readOnly.Key.Id}' has no scope db:connect for endpoint '{endpointId}'"),
            ("ada", otherEndpoint.Secret, $"token '{otherEndpoint.Key.Id}' has no scope db:connect for endpoint '{endpointId}'"),
            ("ada", revoked.Secret, $"key '{revoked.Key.Id}' was revoked"),
            ("olivia", foreign.Secret, $"not a key of tenant '{tenantId}'"),
            ("ada", "database-password", $"not a key of tenant '{tenantId}'"),
        };

        foreach (var (login, secret, failure) in cases)
        {
            var result = await tenant.AuthenticatePersonAsync(endpointId, login, secret);
            Assert.False(result.Succeeded, failure);
            Assert.Equal(failure, result.Failure);

            // A refusal is filed under the token's member only when the secret was really theirs.
            Assert.Equal(failure.StartsWith("not a key", StringComparison.Ordinal) || failure.StartsWith("wrong secret", StringComparison.Ordinal) ? null : "ada", result.MemberId);
        }
    }

    [Fact]
    public async Task SignIn_ScopedToOneEndpoint_WorksThereOnly_AndStopsWhenTheMemberIsRemoved()
    {
        var (tenant, endpointId) = await BrokeredTenantAsync();
        var token = await IssueAsync(tenant, "ada", $"{TenantScopes.Connect}:{endpointId}");

        var here = await tenant.AuthenticatePersonAsync(endpointId, "ada", token.Secret);
        var elsewhere = await tenant.AuthenticatePersonAsync(endpointId + "-2", "ada", token.Secret);
        await tenant.RemoveMemberAsync("olivia", "ada");
        var removed = await tenant.AuthenticatePersonAsync(endpointId, "ada", token.Secret);

        Assert.True(here.Succeeded);
        Assert.False(elsewhere.Succeeded);
        Assert.Equal($"the owner 'ada' of token '{token.Key.Id}' is no longer a member", removed.Failure);
    }

    [Fact]
    public async Task BrokeredEndpoint_StoresOnlyTheSealedPassword_AndTheLedgerNamesTheRoleNotThePassword()
    {
        var tenant = await fixture.CreateTenantAsync();
        var tenantId = tenant.GetPrimaryKeyString();
        var endpointId = fixture.NewId("brokered");
        var sealedPassword = Protector.Seal("s3cret-db-password", CredentialProtector.EndpointContext(tenantId, endpointId));
        var settings = new EndpointSettings { Id = endpointId, UpstreamHost = "db.internal", Broker = new BrokeredCredential { User = "app_rw", SealedPassword = sealedPassword } };

        var inClear = await Assert.ThrowsAsync<TenantValidationException>(() =>
            tenant.AddEndpointAsync("olivia", settings with { Id = endpointId + "-clear", Broker = settings.Broker with { SealedPassword = "s3cret-db-password" } }));
        var added = await tenant.AddEndpointAsync("olivia", settings);
        var published = await fixture.Silo.Endpoint(endpointId).GetAsync();
        var entries = await fixture.LedgerEntriesAsync(tenantId);

        Assert.Equal($"the brokered password of endpoint '{endpointId}-clear' must be sealed (CredentialProtector) before it is stored", inClear.Message);
        Assert.Equal(sealedPassword, added.Settings.Broker!.SealedPassword);
        Assert.Equal(sealedPassword, published!.Settings.Broker!.SealedPassword);
        Assert.Equal("s3cret-db-password", Protector.Open(published.Settings.Broker.SealedPassword, CredentialProtector.EndpointContext(tenantId, endpointId)));
        var message = entries[^1].GetProperty("event").GetProperty("message").GetString()!;
        Assert.Contains($"brokered as role app_rw (password sealed with key {Protector.SealingKeyId})", message);
        Assert.DoesNotContain(entries, e => e.GetRawText().Contains(sealedPassword.Split('.')[2], StringComparison.Ordinal));
    }

    private async Task<(ITenantGrain Tenant, string EndpointId)> BrokeredTenantAsync()
    {
        var tenant = await fixture.CreateTenantAsync();
        await tenant.AddMemberAsync("olivia", Ada);
        var endpointId = fixture.NewId("brokered");
        await tenant.AddEndpointAsync("olivia", new EndpointSettings
        {
            Id = endpointId,
            UpstreamHost = "db.internal",
            Broker = new BrokeredCredential
            {
                User = "app_rw",
                SealedPassword = Protector.Seal("pw", CredentialProtector.EndpointContext(tenant.GetPrimaryKeyString(), endpointId)),
            },
        });
        return (tenant, endpointId);
    }

    private static Task<IssuedTenantKey> IssueAsync(ITenantGrain tenant, string member, string scope) =>
        tenant.IssueKeyAsync(member, new TenantKeyRequest { Name = "laptop", Kind = TenantKeyKind.PersonalAccessToken, Scopes = [scope] });
}
