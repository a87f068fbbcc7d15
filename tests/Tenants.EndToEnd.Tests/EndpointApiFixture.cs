using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Tenants.Abstractions.Secrets;
using Tenants.Abstractions.Tenancy;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A platform of its own for the endpoints and policies API: tenant A (<see cref="TenantA"/>, owner olivia and member
/// ada) and tenant B (<see cref="TenantB"/>, owner bob) have accounts, made through the tenant grain; tenant
/// <see cref="NoAccount"/> has only an API key. All three act through API keys seeded by configuration. The upstream
/// server has a role <c>app_ro</c> for brokered endpoints. The edge's directory cache is 1 s.
/// </summary>
public sealed class EndpointApiFixture : IAsyncLifetime
{
    public const string TenantA = "ep-a";
    public const string TenantB = "ep-b";
    public const string NoAccount = "ep-none";
    public const string RolePassword = "ro-Secret-Api-7";

    private readonly Dictionary<string, string> _keys = new()
    {
        [TenantB] = "tk_ep-b_" + Guid.NewGuid().ToString("N"),
        [NoAccount] = "tk_ep-none_" + Guid.NewGuid().ToString("N"),
    };

    private IsolatedPlatform? _platform;
    private IHost? _client;

    internal IsolatedPlatform Platform => _platform ?? throw new InvalidOperationException("not started");

    public IClusterClient Grains => (_client ?? throw new InvalidOperationException("not started")).Services.GetRequiredService<IClusterClient>();

    public ITenantGrain Tenant(string tenant) => Grains.GetGrain<ITenantGrain>(tenant);

    public async Task InitializeAsync()
    {
        _platform = await IsolatedPlatform.StartAsync(TenantA, (settings, _) =>
        {
            settings.Set("Secrets__CredentialKeys", Convert.ToBase64String(CredentialProtector.NewKey()))
                .Set("Edge__Directory__CacheTtl", "00:00:01")
                .Set("Edge__Directory__NegativeCacheTtl", "00:00:01");
            foreach (var (tenant, key) in _keys)
            {
                settings.AddApiKey(key, tenant);
            }
        });
        await _platform.StartHostAsync();
        await using (var connection = new NpgsqlConnection(_platform.Postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await IsolatedPlatform.ExecuteAsync(connection, $"create role app_ro login password '{RolePassword}'");
        }

        _client = await _platform.ClusterClientAsync();
        await Tenant(TenantA).CreateAsync("Endpoints A", new TenantMember { Id = "olivia", Email = "olivia@a.example", Role = MemberRole.Owner });
        await Tenant(TenantA).AddMemberAsync("olivia", new TenantMember { Id = "ada", Email = "ada@a.example", Role = MemberRole.Developer });
        await Tenant(TenantB).CreateAsync("Endpoints B", new TenantMember { Id = "bob", Email = "bob@b.example", Role = MemberRole.Owner });
    }

    /// <summary>An API client acting for the tenant with its configured key.</summary>
    public HttpClient Api(string tenant)
    {
        if (tenant == TenantA)
        {
            return Platform.Api();
        }

        var client = new HttpClient { BaseAddress = Platform.Host!.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _keys[tenant]);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }

        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EndpointApiCollection : ICollectionFixture<EndpointApiFixture>
{
    public const string Name = "endpoint-api";
}
