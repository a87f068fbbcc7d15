using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Tenants.Abstractions.Tenancy;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// <c>/api/v1/endpoints</c> through the real Host: an endpoint made through the API is reachable with the connection
/// strings it returns, a brokered one never gives its password away, the connection test names the failing step, the
/// proxy follows disable and delete, another tenant's ids are 404, taken ids 409, and bad input 400 problems.
/// </summary>
[Collection(EndpointApiCollection.Name)]
public sealed class EndpointApiTests(EndpointApiFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private PostgresServer Upstream => fixture.Platform.Postgres;

    [Fact]
    public async Task Create_ReturnsConnectionStrings_ThatReachTheDatabaseThroughTheProxy()
    {
        using var api = fixture.Api(EndpointApiFixture.TenantA);
        var created = await CreateAsync(api, new { id = "api-app", upstreamHost = Upstream.Host, upstreamPort = Upstream.Port, defaultDatabase = "app" });
        var address = created.GetProperty("address");
        Assert.Equal(("api-app", "options", "passthrough"), (created.GetProperty("id").GetString(), address.GetProperty("routing").GetString(), address.GetProperty("authentication").GetString()));
        Assert.Equal(fixture.Platform.Settings.ProxyPort, address.GetProperty("port").GetInt32());

        var npgsql = new NpgsqlConnectionStringBuilder(address.GetProperty("connectionStrings").GetProperty("npgsql").GetString())
        {
            Username = Upstream.Username, Password = Upstream.Password, Pooling = false,
        };
        Assert.Equal(42, await Eventually.MatchAsync(() => TryScalarAsync<int>(npgsql.ConnectionString, "select 42"), n => n == 42, Patience, n => $"got {n}"));

        var psql = address.GetProperty("connectionStrings").GetProperty("psql").GetString()!;
        Assert.StartsWith("psql \"", psql, StringComparison.Ordinal);
        var conninfo = psql["psql \"".Length..^1].Replace("user=<user>", $"user={Upstream.Username} password={Upstream.Password}", StringComparison.Ordinal);
        var (exit, output) = await ProcessRunner.RunAsync(Path.Combine(Upstream.BinDirectory, "psql"), [conninfo, "-X", "-tAc", "select current_database()"], false, Patience);
        Assert.True(exit == 0, output);
        Assert.Equal("app", output.Trim());
        Assert.Contains("options=endpoint%3Dapi-app", address.GetProperty("connectionStrings").GetProperty("uri").GetString(), StringComparison.Ordinal);
        Assert.StartsWith($"jdbc:postgresql://{address.GetProperty("host").GetString()}:", address.GetProperty("connectionStrings").GetProperty("jdbc").GetString(), StringComparison.Ordinal);

        var fetched = await api.GetFromJsonAsync<JsonElement>("/api/v1/endpoints/api-app");
        Assert.True(fetched.GetProperty("enabled").GetBoolean());
        var status = await Eventually.MatchAsync(
            async () => (await api.GetFromJsonAsync<JsonElement>("/api/v1/endpoints/api-app")).GetProperty("status"),
            s => s.GetProperty("lastEventTime").ValueKind == JsonValueKind.String && s.GetProperty("statementsLastMinute").GetInt32() >= 1,
            Patience, s => $"status: {s}");
        Assert.True(status.GetProperty("openSessions").GetInt32() >= 0);
    }

    [Fact]
    public async Task Create_WithoutId_MakesAReadableUniqueOne()
    {
        using var api = fixture.Api(EndpointApiFixture.TenantA);
        var first = await CreateAsync(api, new { name = "Orders DB!", upstreamHost = Upstream.Host, upstreamPort = Upstream.Port });
        var second = await CreateAsync(api, new { name = "Orders DB!", upstreamHost = Upstream.Host, upstreamPort = Upstream.Port });
        Assert.Matches("^orders-db-[a-z0-9]{4}$", first.GetProperty("id").GetString());
        Assert.NotEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Brokered_PasswordIsNeverReturnedNorInTheLedger_AndATokenSignsIn()
    {
        using var api = fixture.Api(EndpointApiFixture.TenantA);
        var body = new { id = "api-brokered", upstreamHost = Upstream.Host, upstreamPort = Upstream.Port, defaultDatabase = "app", broker = new { user = "app_ro", password = EndpointApiFixture.RolePassword } };
        using var response = await api.PostAsJsonAsync("/api/v1/endpoints", body);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = JsonDocument.Parse(raw).RootElement;
        Assert.Equal(("app_ro", true), (created.GetProperty("broker").GetProperty("user").GetString(), created.GetProperty("broker").GetProperty("passwordSet").GetBoolean()));
        Assert.Equal("brokered", created.GetProperty("address").GetProperty("authentication").GetString());
        Assert.Contains("personal access token", created.GetProperty("address").GetProperty("hint").GetString(), StringComparison.Ordinal);

        // A change without a password keeps the stored one.
        using var patched = await api.PatchAsJsonAsync("/api/v1/endpoints/api-brokered", new { maxConnections = 5, broker = new { user = "app_ro" } });
        var patchedRaw = await patched.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        var token = await fixture.Tenant(EndpointApiFixture.TenantA).IssueKeyAsync("ada", new TenantKeyRequest { Name = "api test", Kind = TenantKeyKind.PersonalAccessToken, Scopes = [TenantScopes.Connect] });
        var npgsql = new NpgsqlConnectionStringBuilder(created.GetProperty("address").GetProperty("connectionStrings").GetProperty("npgsql").GetString())
        {
            Username = "ada@a.example", Password = token.Secret, Pooling = false, SslMode = SslMode.Require,
        };
        Assert.Equal("app_ro", await Eventually.MatchAsync(() => TryScalarAsync<string>(npgsql.ConnectionString, "select current_user::text"), u => u == "app_ro", Patience, u => $"got {u}"));

        var test = await PostJsonAsync(api, "/api/v1/endpoints/api-brokered/test", new { });
        Assert.True(test.GetProperty("ok").GetBoolean(), test.ToString());
        Assert.True(test.GetProperty("loginTried").GetBoolean());

        var listRaw = await api.GetStringAsync("/api/v1/endpoints");
        var getRaw = await api.GetStringAsync("/api/v1/endpoints/api-brokered");
        var changes = await Eventually.MatchAsync(
            async () => (await fixture.Platform.AllEventsAsync(api, "&kind=tenant_changed")).Events,
            list => list.Count(e => e.GetRawText().Contains("api-brokered", StringComparison.Ordinal)) >= 2,
            Patience, list => $"{list.Count} tenant_changed events");
        foreach (var text in new[] { raw, patchedRaw, listRaw, getRaw, test.GetRawText() }.Concat(changes.Select(e => e.GetRawText())))
        {
            Assert.DoesNotContain(EndpointApiFixture.RolePassword, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ConnectionTest_NamesTheFailingStep()
    {
        using var api = fixture.Api(EndpointApiFixture.TenantA);
        var good = await PostJsonAsync(api, "/api/v1/endpoints/test", new { upstreamHost = Upstream.Host, upstreamPort = Upstream.Port, defaultDatabase = "app", user = Upstream.Username, password = Upstream.Password });
        Assert.True(good.GetProperty("ok").GetBoolean(), good.ToString());
        Assert.Contains("PostgreSQL", good.GetProperty("serverVersion").GetString(), StringComparison.Ordinal);
        Assert.Equal(["dns", "tcp", "login", "query"], good.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        var refused = await PostJsonAsync(api, "/api/v1/endpoints/test", new { upstreamHost = "127.0.0.1", upstreamPort = FreePort.Next() });
        Assert.Equal(("tcp", false), (refused.GetProperty("failedStep").GetString(), refused.GetProperty("ok").GetBoolean()));
        Assert.Contains("refused", refused.GetProperty("error").GetString(), StringComparison.Ordinal);

        var wrongPassword = await PostJsonAsync(api, "/api/v1/endpoints/test", new { upstreamHost = Upstream.Host, upstreamPort = Upstream.Port, user = Upstream.Username, password = "not-the-password" });
        Assert.Equal(("login", "28P01"), (wrongPassword.GetProperty("failedStep").GetString(), wrongPassword.GetProperty("sqlState").GetString()));

        var noTls = await PostJsonAsync(api, "/api/v1/endpoints/test", new { upstreamHost = Upstream.Host, upstreamPort = Upstream.Port, tlsMode = "require" });
        Assert.Equal("tls", noTls.GetProperty("failedStep").GetString());
        Assert.Contains("does not accept TLS", noTls.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("169.254.169.254")] // the cloud metadata service
    [InlineData("fe80::1")] // IPv6 link-local
    public async Task MetadataAndLinkLocalUpstreams_AreNeverConnectedTo(string host)
    {
        using var api = fixture.Api(EndpointApiFixture.TenantA);

        var probe = await PostJsonAsync(api, "/api/v1/endpoints/test", new { upstreamHost = host, upstreamPort = 80 });
        using var create = await api.PostAsJsonAsync("/api/v1/endpoints", new { id = "api-metadata", upstreamHost = host, upstreamPort = 80 });

        Assert.Equal(("dns", false), (probe.GetProperty("failedStep").GetString(), probe.GetProperty("ok").GetBoolean()));
        Assert.Contains("never connects to", probe.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(["dns"], probe.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Contains("never connects to", await create.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disable_ThenDelete_TheProxyRefusesThenForgets_AndTheIdStaysReserved()
    {
        using var api = fixture.Api(EndpointApiFixture.TenantA);
        await CreateAsync(api, new { id = "api-gone", upstreamHost = Upstream.Host, upstreamPort = Upstream.Port, defaultDatabase = "app" });
        var connection = fixture.Platform.EndpointConnectionString("api-gone");
        Assert.Equal(1, await Eventually.MatchAsync(() => TryScalarAsync<int>(connection, "select 1"), n => n == 1, Patience, n => $"got {n}"));

        var disabled = await PostJsonAsync(api, "/api/v1/endpoints/api-gone/disable", new { });
        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        var refused = await Eventually.MatchAsync(() => ErrorAsync(connection), e => e?.SqlState == "28000", Patience, e => $"last: {e?.SqlState}");
        Assert.Equal("endpoint 'api-gone' is disabled", refused!.MessageText);

        Assert.True((await PostJsonAsync(api, "/api/v1/endpoints/api-gone/enable", new { })).GetProperty("enabled").GetBoolean());
        using var delete = await api.DeleteAsync("/api/v1/endpoints/api-gone");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        var unknown = await Eventually.MatchAsync(() => ErrorAsync(connection), e => e?.SqlState == "08004", Patience, e => $"last: {e?.SqlState}");
        Assert.Equal("endpoint 'api-gone' does not exist", unknown!.MessageText);

        var list = await api.GetFromJsonAsync<JsonElement>("/api/v1/endpoints");
        var all = await api.GetFromJsonAsync<JsonElement>("/api/v1/endpoints?includeDeleted=true");
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), e => e.GetProperty("id").GetString() == "api-gone");
        Assert.True(all.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("id").GetString() == "api-gone").GetProperty("deleted").GetBoolean());
        await AssertProblemAsync(await api.PostAsJsonAsync("/api/v1/endpoints", new { id = "api-gone", upstreamHost = "db.example" }), HttpStatusCode.Conflict, "taken");
        await AssertProblemAsync(await api.PatchAsJsonAsync("/api/v1/endpoints/api-gone", new { maxConnections = 2 }), HttpStatusCode.BadRequest, "deleted");
    }

    [Fact]
    public async Task AnotherTenantsEndpoint_IsNotFound_AndItsIdIsTaken()
    {
        using var a = fixture.Api(EndpointApiFixture.TenantA);
        using var b = fixture.Api(EndpointApiFixture.TenantB);
        await CreateAsync(a, new { id = "api-mine", upstreamHost = Upstream.Host, upstreamPort = Upstream.Port });

        await AssertProblemAsync(await b.GetAsync("/api/v1/endpoints/api-mine"), HttpStatusCode.NotFound, "no endpoint 'api-mine'");
        await AssertProblemAsync(await b.PatchAsJsonAsync("/api/v1/endpoints/api-mine", new { upstreamHost = "evil.example" }), HttpStatusCode.NotFound, "no endpoint");
        await AssertProblemAsync(await b.PostAsJsonAsync("/api/v1/endpoints/api-mine/disable", new { }), HttpStatusCode.NotFound, "no endpoint");
        await AssertProblemAsync(await b.PostAsJsonAsync("/api/v1/endpoints/api-mine/test", new { }), HttpStatusCode.NotFound, "no endpoint");
        await AssertProblemAsync(await b.DeleteAsync("/api/v1/endpoints/api-mine"), HttpStatusCode.NotFound, "no endpoint");
        await AssertProblemAsync(await b.PostAsJsonAsync("/api/v1/endpoints", new { id = "api-mine", upstreamHost = "evil.example" }), HttpStatusCode.Conflict, "taken");
        var theirs = await b.GetFromJsonAsync<JsonElement>("/api/v1/endpoints?includeDeleted=true");
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), e => e.GetProperty("id").GetString() == "api-mine");
        Assert.True((await a.GetFromJsonAsync<JsonElement>("/api/v1/endpoints/api-mine")).GetProperty("enabled").GetBoolean());

        using var none = fixture.Api(EndpointApiFixture.NoAccount);
        Assert.Empty((await none.GetFromJsonAsync<JsonElement>("/api/v1/endpoints")).GetProperty("items").EnumerateArray());
        await AssertProblemAsync(await none.PostAsJsonAsync("/api/v1/endpoints", new { id = "api-none", upstreamHost = "db.example" }), HttpStatusCode.Conflict, "no account");
    }

    [Theory]
    [InlineData("{not json", "")]
    [InlineData("{\"id\":\"api-x\",\"upstreamHost\":\"db.example\",\"colour\":\"red\"}", "colour")]
    [InlineData("{\"id\":\"api-x\",\"upstreamHost\":\"db.example\",\"upstreamPort\":70000}", "upstreamPort")]
    [InlineData("{\"id\":\"api-x\",\"upstreamHost\":\"db.example\",\"upstreamPort\":\"5432; drop table x\"}", "")]
    [InlineData("{\"id\":\"x'; drop table tenants; --\",\"upstreamHost\":\"db.example\"}", "id must be")]
    [InlineData("{\"id\":\"api-x\",\"upstreamHost\":\"db.example\",\"tlsMode\":\"maybe\"}", "tlsMode")]
    [InlineData("{\"id\":\"api-x\",\"upstreamHost\":\"db.example\",\"durability\":{\"read\":\"never\"}}", "durability.read")]
    [InlineData("{\"id\":\"api-x\",\"upstreamHost\":\"db.example\",\"broker\":{\"user\":\"app_ro\"}}", "broker.password")]
    [InlineData("{\"id\":\"api-x\",\"upstreamHost\":\"db.example\",\"caCertificatePem\":\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"}", "CA certificate")]
    [InlineData("[]", "")]
    public async Task Create_BadInput_Is400ProblemDetails(string body, string mentions)
    {
        using var api = fixture.Api(EndpointApiFixture.TenantA);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        await AssertProblemAsync(await api.PostAsync("/api/v1/endpoints", content), HttpStatusCode.BadRequest, mentions);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/endpoints/api-x")).StatusCode);
    }

    [Fact]
    public async Task HostileIdsInPaths_And_HugeBodies_Are4xx()
    {
        using var api = fixture.Api(EndpointApiFixture.TenantA);
        await AssertProblemAsync(await api.GetAsync("/api/v1/endpoints/" + Uri.EscapeDataString("x' or '1'='1")), HttpStatusCode.BadRequest, "id must be");
        await AssertProblemAsync(await api.GetAsync("/api/v1/endpoints/" + new string('a', 300)), HttpStatusCode.BadRequest, "id must be");
        var huge = $"{{\"id\":\"api-huge\",\"upstreamHost\":\"{new string('h', 2_000_000)}\"}}";
        using var content = new StringContent(huge, Encoding.UTF8, "application/json");
        using var response = await api.PostAsync("/api/v1/endpoints", content);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, response.StatusCode.ToString());
    }

    private static async Task<JsonElement> CreateAsync(HttpClient api, object body)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/endpoints", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> PostJsonAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(mentions, text, StringComparison.Ordinal);
        }
    }

    private static async Task<T?> TryScalarAsync<T>(string connectionString, string sql)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return (T?)await command.ExecuteScalarAsync();
        }
        catch (PostgresException ex) when (ex.SqlState == "08004")
        {
            return default;
        }
    }

    private static async Task<PostgresException?> ErrorAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            return null;
        }
        catch (PostgresException ex)
        {
            return ex;
        }
    }
}
