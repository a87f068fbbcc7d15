using Tenants.Abstractions.Tenancy;
using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.Grains.Tests.Tenancy;

public sealed class TenantStatePersistenceTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task TenantAndDirectory_SurviveDeactivationAndANewSilo()
    {
        var connectionString = await TenantSilo.CreateDatabaseAsync(postgres);
        var serviceId = Guid.NewGuid().ToString("N");
        var store = new InMemoryLedgerStore();
        using var signer = new TestLedgerSigner(TenantSilo.OriginPrefix);
        // Values equal to their type's default (Read durable, disabled) are left out of the stored JSON: they must read back as set.
        var settings = new EndpointSettings
        {
            Id = "kept-endpoint",
            UpstreamHost = "db.internal",
            TlsMode = EndpointTlsMode.Require,
            Durability = new EndpointDurability { Read = AuditDurability.Durable, Write = AuditDurability.Async, Tcl = AuditDurability.Sequenced },
        };
        IssuedTenantKey issued;
        long version;

        await using (var silo = await TenantSilo.StartAsync(connectionString, serviceId, store, signer))
        {
            var tenant = silo.Tenant("kept");
            await tenant.CreateAsync("Kept Ltd", TenantGrainFixture.Owner);
            await tenant.AddEndpointAsync("olivia", settings);
            await tenant.SetEndpointEnabledAsync("olivia", settings.Id, enabled: false);
            issued = await tenant.IssueKeyAsync("olivia", new TenantKeyRequest { Name = "ci", Scopes = ["events:read"] });
            await tenant.PublishPolicyAsync("olivia", "{\"rules\":[]}");

            await silo.Cluster.DeactivateAsync(tenant);
            await silo.Cluster.DeactivateAsync(silo.Endpoint(settings.Id));
            version = (await tenant.GetAccountAsync())!.Version;
            Assert.Equal(5, version);
        }

        // A fresh silo has no activations and no memory of the first one: only PostgreSQL holds the state.
        await using (var silo = await TenantSilo.StartAsync(connectionString, serviceId, store, signer))
        {
            var tenant = silo.Tenant("kept");
            var account = await tenant.GetAccountAsync();
            var endpoint = Assert.Single(await tenant.GetEndpointsAsync());
            var published = await silo.Endpoint(settings.Id).GetAsync();

            Assert.Equal(("Kept Ltd", version), (account!.DisplayName, account.Version));
            Assert.Equal((settings, false), (endpoint.Settings, endpoint.Enabled));
            Assert.Equal(endpoint, published);
            Assert.Equal(issued.Key.Id, (await tenant.AuthenticateKeyAsync(issued.Secret))?.Id);
            Assert.Single(await tenant.GetPoliciesAsync());
            var steal = await Assert.ThrowsAsync<TenantValidationException>(() =>
                silo.Tenant("thief").CreateAsync("Thief", TenantGrainFixture.Owner).ContinueWith(_ => silo.Tenant("thief").AddEndpointAsync("olivia", settings)).Unwrap());
            Assert.Contains("is taken by another tenant", steal.Message);

            // The next change carries on from the stored version.
            await tenant.SetEndpointEnabledAsync("olivia", settings.Id, enabled: true);
            Assert.Equal(version + 1, (await tenant.GetAccountAsync())!.Version);
        }
    }
}
