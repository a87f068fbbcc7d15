using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A platform of its own with two tenants set up entirely through the API (<see cref="A"/> and <see cref="B"/>, see
/// <see cref="ApiTenant"/>), for the isolation walk, the role limits and the personal access token through the proxy.
/// The upstream server has a role <c>app_ro</c> for the brokered endpoints; the edge's directory cache is 1 s; sign-in
/// is not rate-limited here (every caller is 127.0.0.1).
/// </summary>
public sealed class ApiIsolationFixture : IAsyncLifetime
{
    public const string RolePassword = "iso-Ro-Secret-9";

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The member roles, the owner first.</summary>
    public static readonly string[] Roles = ["owner", "admin", "auditor", "developer"];

    private IsolatedPlatform? _platform;

    internal IsolatedPlatform Platform => _platform ?? throw new InvalidOperationException("not started");

    public ApiTenant A { get; private set; } = null!;

    public ApiTenant B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _platform = await IsolatedPlatform.StartAsync("iso-operator", (settings, _) => settings
            .Set("Api__SignIn__RateLimitPermits", "100000")
            .Set("Webhooks__AllowPrivateAddresses", "true")
            .Set("Edge__Directory__CacheTtl", "00:00:01")
            .Set("Edge__Directory__NegativeCacheTtl", "00:00:01"));
        await _platform.StartHostAsync();
        await using (var connection = new NpgsqlConnection(_platform.Postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await IsolatedPlatform.ExecuteAsync(connection, $"create role app_ro login password '{RolePassword}'");
        }

        A = await ApiTenant.SetUpAsync(this, "iso-a", CancellationToken.None);
        B = await ApiTenant.SetUpAsync(this, "iso-b", CancellationToken.None);
    }

    /// <summary>A client that keeps cookies, as the portal in a browser.</summary>
    public HttpClient Portal() => new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = Platform.Host!.BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public HttpClient Bearer(string secret)
    {
        var client = new HttpClient { BaseAddress = Platform.Host!.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>A new portal session of a member of <paramref name="tenant"/>.</summary>
    public async Task<ApiCaller> SignInAsync(ApiTenant tenant, string role)
    {
        var client = Portal();
        using var response = await client.PostAsJsonAsync("/api/v1/session", new { email = tenant.Email(role), password = ApiTenant.Password, tenantId = tenant.TenantId });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return new ApiCaller($"{tenant.TenantId} {role} (new session)", client, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrfToken").GetString());
    }

    /// <summary>Runs a scalar query; null when the proxy refuses the endpoint (08004) or the login for now.</summary>
    public static async Task<T?> TryScalarAsync<T>(string connectionString, string sql)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return (T?)await command.ExecuteScalarAsync();
        }
        catch (PostgresException ex) when (ex.SqlState is "08004")
        {
            return default;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var tenant in new[] { A, B })
        {
            foreach (var caller in tenant?.Members.Values ?? Enumerable.Empty<ApiCaller>())
            {
                caller.Dispose();
            }
        }

        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiIsolationCollection : ICollectionFixture<ApiIsolationFixture>
{
    public const string Name = "api-isolation";
}
