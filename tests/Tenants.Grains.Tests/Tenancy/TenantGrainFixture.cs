using System.Text.Json;
using Tenants.Abstractions.Tenancy;
using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.Grains.Tests.Tenancy;

/// <summary>One PostgreSQL server and one <see cref="TenantSilo"/> shared by a test class; each test uses tenants of its own.</summary>
public sealed class TenantGrainFixture : IAsyncLifetime
{
    private int _counter;

    public PostgresFixture Postgres { get; } = new();

    public InMemoryLedgerStore Store { get; } = new();

    public TestLedgerSigner Signer { get; } = new(TenantSilo.OriginPrefix);

    public TenantSilo Silo { get; private set; } = null!;

    /// <summary>A tenant (or endpoint) id no other test uses.</summary>
    public string NewId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Creates a tenant owned by member <c>olivia</c>.</summary>
    public async Task<ITenantGrain> CreateTenantAsync(string prefix = "t")
    {
        var tenant = Silo.Tenant(NewId(prefix));
        await tenant.CreateAsync("Acme Ltd", Owner);
        return tenant;
    }

    /// <summary>The tenant's ledger entries so far (journaled, sealed or not), parsed.</summary>
    public async Task<List<JsonElement>> LedgerEntriesAsync(string tenantId)
    {
        var entries = new List<JsonElement>();
        await foreach (var entry in Store.ReadJournalAsync(tenantId, 0))
        {
            entries.Add(JsonDocument.Parse(entry.Entry).RootElement.Clone());
        }

        return entries;
    }

    public static TenantMember Owner => new() { Id = "olivia", Email = "olivia@acme.example", Role = MemberRole.Owner };

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        var connectionString = await TenantSilo.CreateDatabaseAsync(Postgres);
        Silo = await TenantSilo.StartAsync(connectionString, Guid.NewGuid().ToString("N"), Store, Signer);
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Postgres.DisposeAsync();
        Signer.Dispose();
    }
}
