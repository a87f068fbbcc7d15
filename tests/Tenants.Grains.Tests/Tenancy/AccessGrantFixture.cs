using Microsoft.Extensions.Time.Testing;
using Tenants.Abstractions.Tenancy;
using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.Grains.Tests.Tenancy;

/// <summary>
/// A <see cref="TenantSilo"/> whose grains read a fake clock, so grants expire when a test moves <see cref="Time"/>;
/// each test uses tenants of its own (owner <c>olivia</c>, admin <c>ada</c>, developers <c>dev</c> and <c>devon</c>,
/// endpoint <c>&lt;tenant&gt;-db</c>).
/// </summary>
public sealed class AccessGrantFixture : IAsyncLifetime
{
    private int _counter;

    public PostgresFixture Postgres { get; } = new();

    public InMemoryLedgerStore Store { get; } = new();

    public TestLedgerSigner Signer { get; } = new(TenantSilo.OriginPrefix);

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public TenantSilo Silo { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public string ServiceId { get; } = Guid.NewGuid().ToString("N");

    public async Task<(ITenantGrain Tenant, string EndpointId)> CreateTenantAsync()
    {
        var id = $"grants-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..8]}";
        var tenant = Silo.Tenant(id);
        await tenant.CreateAsync("Acme Ltd", TenantGrainFixture.Owner);
        await tenant.AddMemberAsync("olivia", new TenantMember { Id = "ada", Email = "ada@acme.example", Role = MemberRole.Admin });
        await tenant.AddMemberAsync("olivia", new TenantMember { Id = "dev", Email = "dev@acme.example", Role = MemberRole.Developer });
        await tenant.AddMemberAsync("olivia", new TenantMember { Id = "devon", Email = "devon@acme.example", Role = MemberRole.Developer });
        await tenant.AddEndpointAsync("olivia", new EndpointSettings { Id = $"{id}-db", UpstreamHost = "db.internal" });
        return (tenant, $"{id}-db");
    }

    /// <summary>The messages of the tenant's <c>tenant_changed</c> ledger events so far.</summary>
    public async Task<List<string>> LedgerMessagesAsync(string tenantId)
    {
        var messages = new List<string>();
        await foreach (var entry in Store.ReadJournalAsync(tenantId, 0))
        {
            using var json = System.Text.Json.JsonDocument.Parse(entry.Entry);
            messages.Add(json.RootElement.GetProperty("event").GetProperty("message").GetString()!);
        }

        return messages;
    }

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        ConnectionString = await TenantSilo.CreateDatabaseAsync(Postgres);
        Silo = await TenantSilo.StartAsync(ConnectionString, ServiceId, Store, Signer, Time);
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Postgres.DisposeAsync();
        Signer.Dispose();
    }
}
