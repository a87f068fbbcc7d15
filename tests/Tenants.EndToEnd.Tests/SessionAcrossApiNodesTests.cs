using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// API nodes of one cluster (a silo with the API, and API-only nodes), as behind a load balancer: a person signed in on
/// one stays signed in on another, because the session cookie's keys live in the platform database, sealed with the
/// cluster's credential keys: a node given other credential keys opens no session, and the table holds no key in the
/// clear. (Processes on one machine would also share the framework's default key ring in the user's home; each node
/// here gets a home of its own, and the node with other keys shows the sessions open through the sealed ring alone.)
/// </summary>
public sealed class SessionAcrossApiNodesTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private readonly string _keyFolder = Path.Combine(Path.GetTempPath(), $"tenants-e2e-{Guid.NewGuid():N}");
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private PostgresServer _postgres = null!;
    private AzuriteServer _azurite = null!;
    private string _platformDatabase = null!;
    private HostProcess _silo = null!;
    private HostProcess _apiOnly = null!;
    private HostProcess _otherKeys = null!;

    public async Task InitializeAsync()
    {
        var postgresTask = PostgresServer.StartAsync();
        var azuriteTask = AzuriteServer.StartAsync();
        _postgres = await postgresTask;
        _azurite = await azuriteTask;
        _platformDatabase = await _postgres.CreateDatabaseAsync("platform");
        // The silo makes the signing and credential keys; the API node starts once they exist, as in a deployment
        // where every node is given the same ones.
        var clusterKeys = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _silo = await HostProcess.StartAsync(Node("silo,api", clusterKeys).Values, TimeSpan.FromMinutes(2));
        var apiOnly = HostProcess.StartAsync(Node("api", clusterKeys).Values, TimeSpan.FromMinutes(2));
        var otherKeys = HostProcess.StartAsync(Node("api", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), "other").Values, TimeSpan.FromMinutes(2));
        _apiOnly = await apiOnly;
        _otherKeys = await otherKeys;
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in new IAsyncDisposable?[] { _otherKeys, _apiOnly, _silo, _azurite, _postgres })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }

        if (Directory.Exists(_keyFolder))
        {
            Directory.Delete(_keyFolder, recursive: true);
        }
    }

    [Fact]
    public async Task SignedInOnOneApiNode_TheNextRequestsOnAnother_KeepTheSession()
    {
        var cookies = new CookieContainer();
        using var first = Portal(_silo, cookies);
        using var second = Portal(_apiOnly, cookies);
        using var stranger = Portal(_otherKeys, cookies);
        var tenant = $"xs{_run}";
        var email = $"owner-{_run}@example.com";

        (await first.PostAsJsonAsync("/api/v1/signup", new { tenantId = tenant, tenantName = "Across Nodes", email, password = Password })).EnsureSuccessStatusCode();
        var csrf = (await first.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("csrfToken").GetString()!;
        using var meOnSecond = await second.GetAsync(new Uri("/api/v1/me", UriKind.Relative));

        Assert.True(meOnSecond.StatusCode == HttpStatusCode.OK, $"the other API node did not accept the session: {(int)meOnSecond.StatusCode} {await meOnSecond.Content.ReadAsStringAsync()}");
        var me = await meOnSecond.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal(tenant, me.GetProperty("tenant").GetProperty("tenantId").GetString());

        using var meOnStranger = await stranger.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, meOnStranger.StatusCode);

        // A change on the second node with the first node's CSRF token: signing out there ends the session everywhere.
        using var signOut = new HttpRequestMessage(HttpMethod.Delete, new Uri("/api/v1/session", UriKind.Relative));
        signOut.Headers.Add("X-CSRF-Token", csrf);
        using var signedOut = await second.SendAsync(signOut);
        Assert.True(signedOut.IsSuccessStatusCode, $"{(int)signedOut.StatusCode} {await signedOut.Content.ReadAsStringAsync()}");
        using var after = await first.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task KeyRing_InThePlatformDatabase_HoldsNoKeyInTheClear()
    {
        using var portal = Portal(_silo, new CookieContainer());
        (await portal.PostAsJsonAsync("/api/v1/signup", new { tenantId = $"kr{_run}", tenantName = "Key Ring", email = $"kr-{_run}@example.com", password = Password })).EnsureSuccessStatusCode();

        await using var connection = new NpgsqlConnection(_platformDatabase);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select xml from data_protection_keys", connection);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.False(xml.Contains("<masterKey", StringComparison.Ordinal), xml);
            Assert.True(Regex.IsMatch(xml, @"<encryptedSecret decryptorType=""Tenants\.Host\.Security\.SealedXmlDecryptor, [^>]*><sealed[^>]*>v1\."), xml);
        });
    }

    private HostSettings Node(string roles, string credentialKeys, string name = "") =>
        new HostSettings(_platformDatabase, _azurite.ConnectionString, Path.Combine(_keyFolder, "signing.pem"))
            .Set("Tenants__Roles", roles)
            .Set("Secrets__CredentialKeys", credentialKeys)
            .Set("Cluster__Clustering", "Postgres")
            .Set("Cluster__AdvertisedAddress", "127.0.0.1")
            .Set("Cluster__ClusterId", $"e2e-sessions-{_run}")
            .Set("Cluster__ServiceId", $"e2e-sessions-{_run}")
            // A home of its own, as on a machine or container of its own: nothing shared through the file system.
            .Set("HOME", Path.Combine(_keyFolder, $"home-{roles.Replace(',', '-')}{name}"));

    private static HttpClient Portal(HostProcess node, CookieContainer cookies) =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = cookies }) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
}
