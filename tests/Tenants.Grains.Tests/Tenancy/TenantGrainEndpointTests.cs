using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Tests.Tenancy;

public sealed class TenantGrainEndpointTests(TenantGrainFixture fixture) : IClassFixture<TenantGrainFixture>
{
    private const string TestCaPem = """
        -----BEGIN CERTIFICATE-----
        MIIBfzCCASWgAwIBAgIUNi/J7IG9XNf7ytAZBrGNjfvnsiEwCgYIKoZIzj0EAwIw
        FTETMBEGA1UEAwwKdGVzdC1yb290MB4XDTI0MDEwMTAwMDAwMFoXDTM0MDEwMTAw
        MDAwMFowFTETMBEGA1UEAwwKdGVzdC1yb290MFkwEwYHKoZIzj0CAQYIKoZIzj0D
        AQcDQgAE
        -----END CERTIFICATE-----
        """;

    private EndpointSettings Settings(string? id = null) => new() { Id = id ?? fixture.NewId("ep"), UpstreamHost = "db.internal", DefaultDatabase = "app" };

    [Fact]
    public async Task AddEndpoint_IsInTheTenantAndTheDirectory()
    {
        var tenant = await fixture.CreateTenantAsync();
        var settings = Settings() with { UpstreamPort = 6543, MaxConnections = 10, Durability = new EndpointDurability { Read = AuditDurability.Async } };

        var added = await tenant.AddEndpointAsync("olivia", settings);
        var listed = Assert.Single(await tenant.GetEndpointsAsync());
        var published = await fixture.Silo.Endpoint(settings.Id).GetAsync();

        Assert.Equal(settings, added.Settings);
        Assert.True(added.Enabled);
        Assert.Equal(added, listed);
        Assert.Equal(added, published);
        Assert.Equal(tenant.GetPrimaryKeyString(), await fixture.Silo.Endpoint(settings.Id).GetOwnerAsync());
    }

    [Fact]
    public async Task Directory_UnknownId_IsNull()
    {
        var endpoint = fixture.Silo.Endpoint(fixture.NewId("nobody"));

        Assert.Null(await endpoint.GetAsync());
        Assert.Null(await endpoint.GetOwnerAsync());
    }

    public static TheoryData<string, Func<EndpointSettings, EndpointSettings>, string> BadSettings => new()
    {
        { "uppercase id", s => s with { Id = "Shop" }, "endpoint id 'Shop' is not valid" },
        { "id too long", s => s with { Id = new string('a', 64) }, $"endpoint id '{new string('a', 64)}' is not valid" },
        { "no host", s => s with { UpstreamHost = "" }, "upstream host of endpoint" },
        { "host with space", s => s with { UpstreamHost = "db internal" }, "upstream host of endpoint" },
        { "port zero", s => s with { UpstreamPort = 0 }, "upstream port 0 of endpoint" },
        { "port too big", s => s with { UpstreamPort = 70000 }, "upstream port 70000 of endpoint" },
        { "negative limit", s => s with { MaxConnections = -1 }, "max connections -1 of endpoint" },
        { "unknown tls mode", s => s with { TlsMode = (EndpointTlsMode)9 }, "TLS mode 9 of endpoint" },
        { "CA without verify-full", s => s with { CaCertificatePem = TestCaPem }, "a CA certificate for endpoint" },
        { "CA not a certificate", s => s with { TlsMode = EndpointTlsMode.VerifyFull, CaCertificatePem = "not pem" }, "the CA certificate of endpoint" },
        { "unknown durability", s => s with { Durability = new EndpointDurability { Write = (AuditDurability)7 } }, "durability 7 for write statements" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task AddEndpoint_BadSettings_AreRefusedAndNothingIsClaimed(string why, Func<EndpointSettings, EndpointSettings> spoil, string expected)
    {
        var tenant = await fixture.CreateTenantAsync();
        var settings = spoil(Settings());

        var error = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.AddEndpointAsync("olivia", settings));

        Assert.True(error.Message.StartsWith(expected, StringComparison.Ordinal), $"{why}: {error.Message}");
        Assert.Equal(TenantRefusalKind.Invalid, error.Kind);
        Assert.Empty(await tenant.GetEndpointsAsync());
        Assert.Equal(1, (await tenant.GetAccountAsync())!.Version);
    }

    [Fact]
    public async Task AddEndpoint_IdHeldByAnotherTenant_IsRefused_AndTheHolderKeepsIt()
    {
        var first = await fixture.CreateTenantAsync("first");
        var second = await fixture.CreateTenantAsync("second");
        var settings = Settings();
        await first.AddEndpointAsync("olivia", settings);

        var error = await Assert.ThrowsAsync<TenantValidationException>(() => second.AddEndpointAsync("olivia", settings with { UpstreamHost = "evil.example" }));

        Assert.Equal($"endpoint id '{settings.Id}' is taken by another tenant; choose another id", error.Message);
        Assert.Equal(TenantRefusalKind.Conflict, error.Kind);
        Assert.Empty(await second.GetEndpointsAsync());
        Assert.Equal("db.internal", (await fixture.Silo.Endpoint(settings.Id).GetAsync())!.Settings.UpstreamHost);
        Assert.Equal(first.GetPrimaryKeyString(), await fixture.Silo.Endpoint(settings.Id).GetOwnerAsync());
    }

    [Fact]
    public async Task AddEndpoint_Retried_IsIdempotent_ButDifferentSettingsNeedAnUpdate()
    {
        var tenant = await fixture.CreateTenantAsync();
        var settings = Settings();
        var added = await tenant.AddEndpointAsync("olivia", settings);

        var again = await tenant.AddEndpointAsync("olivia", settings);
        var different = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.AddEndpointAsync("olivia", settings with { UpstreamPort = 5433 }));

        Assert.Equal(added, again);
        Assert.Equal($"endpoint '{settings.Id}' already exists; change it with an update", different.Message);
        Assert.Equal(2, (await tenant.GetAccountAsync())!.Version);
    }

    [Fact]
    public async Task AddEndpoint_AfterAClaimWithoutRecord_CompletesTheHalfDoneAdd()
    {
        // A call that failed after the claim and before the record: the claim is the tenant's, the record missing.
        var tenant = await fixture.CreateTenantAsync();
        var settings = Settings();
        await fixture.Silo.Endpoint(settings.Id).ClaimAsync(tenant.GetPrimaryKeyString());
        Assert.Null(await fixture.Silo.Endpoint(settings.Id).GetAsync());

        var added = await tenant.AddEndpointAsync("olivia", settings);

        Assert.Equal(added, await fixture.Silo.Endpoint(settings.Id).GetAsync());
    }

    [Fact]
    public async Task Directory_PublishForAnIdTheTenantDoesNotHold_IsRefused()
    {
        var holder = await fixture.CreateTenantAsync();
        var settings = Settings();
        var added = await holder.AddEndpointAsync("olivia", settings);

        var error = await Assert.ThrowsAsync<TenantValidationException>(() =>
            fixture.Silo.Endpoint(settings.Id).PublishAsync(added with { TenantId = "intruder", Version = added.Version + 10 }));

        Assert.Equal($"endpoint id '{settings.Id}' is not held by tenant 'intruder'", error.Message);
        Assert.Equal(added, await fixture.Silo.Endpoint(settings.Id).GetAsync());
    }

    [Fact]
    public async Task UpdateAndDisable_ReachTheDirectory()
    {
        var tenant = await fixture.CreateTenantAsync();
        var settings = Settings();
        await tenant.AddEndpointAsync("olivia", settings);

        var updated = await tenant.UpdateEndpointAsync("olivia", settings with { UpstreamHost = "db2.internal", AllowReplication = true });
        var disabled = await tenant.SetEndpointEnabledAsync("olivia", settings.Id, enabled: false);

        var published = await fixture.Silo.Endpoint(settings.Id).GetAsync();
        Assert.Equal(("db2.internal", true, false), (published!.Settings.UpstreamHost, published.Settings.AllowReplication, published.Enabled));
        Assert.Equal(disabled, published);
        Assert.True(disabled.Version > updated.Version);
        Assert.Equal(4, (await tenant.GetAccountAsync())!.Version);
    }

    [Fact]
    public async Task Delete_KeepsTheRecordMarked_AndTheIdReserved()
    {
        var tenant = await fixture.CreateTenantAsync();
        var other = await fixture.CreateTenantAsync("other");
        var settings = Settings();
        await tenant.AddEndpointAsync("olivia", settings);

        var deleted = await tenant.DeleteEndpointAsync("olivia", settings.Id);
        var update = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.UpdateEndpointAsync("olivia", settings));
        var enable = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.SetEndpointEnabledAsync("olivia", settings.Id, enabled: true));
        var readd = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.AddEndpointAsync("olivia", settings));
        var steal = await Assert.ThrowsAsync<TenantValidationException>(() => other.AddEndpointAsync("olivia", settings));

        Assert.True(deleted.Deleted);
        Assert.False(deleted.Enabled);
        Assert.Equal(deleted, Assert.Single(await tenant.GetEndpointsAsync()));
        Assert.True((await fixture.Silo.Endpoint(settings.Id).GetAsync())!.Deleted);
        Assert.Equal($"endpoint '{settings.Id}' is deleted and cannot be changed", update.Message);
        Assert.Equal(update.Message, enable.Message);
        Assert.Equal($"endpoint id '{settings.Id}' belonged to a deleted endpoint and stays reserved; choose another id", readd.Message);
        Assert.Contains("is taken by another tenant", steal.Message);
    }

    [Fact]
    public async Task ChangeEndpoint_ThatDoesNotExist_SaysSo()
    {
        var tenant = await fixture.CreateTenantAsync();
        var id = fixture.NewId("ghost");

        var error = await Assert.ThrowsAsync<TenantValidationException>(() => tenant.SetEndpointEnabledAsync("olivia", id, enabled: false));

        Assert.Equal($"tenant '{tenant.GetPrimaryKeyString()}' has no endpoint '{id}'", error.Message);
    }
}
