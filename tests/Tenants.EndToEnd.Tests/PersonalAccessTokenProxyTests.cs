using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A personal access token issued through <c>POST /api/v1/keys</c> signs in at a brokered endpoint created through
/// <c>POST /api/v1/endpoints</c>, through the proxy with TLS, and is refused once revoked with <c>DELETE /api/v1/keys/{id}</c>.
/// </summary>
[Collection(ApiIsolationCollection.Name)]
public sealed class PersonalAccessTokenProxyTests(ApiIsolationFixture fixture)
{
    [Fact]
    public async Task TokenIssuedThroughTheApi_SignsInAtTheBrokeredEndpoint_AndIsRefusedOnceRevoked()
    {
        var a = fixture.A;
        var developer = a.Members["developer"];
        using var issued = await developer.SendAsync(HttpMethod.Post, "/api/v1/keys", new { name = "psql", kind = "personalAccessToken", scopes = new List<string> { $"db:connect:{a.EndpointId}" } });
        Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());
        var body = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var connection = new NpgsqlConnectionStringBuilder(a.NpgsqlConnectionString)
        {
            Username = a.Email("developer"), Password = body.GetProperty("secret").GetString(),
        }.ConnectionString;

        var user = await Eventually.MatchAsync(() => SignInAsync(connection), r => r == "app_ro", ApiIsolationFixture.Patience, r => $"the token's sign-in answered {r}");
        using var revoke = await developer.SendAsync(HttpMethod.Delete, $"/api/v1/keys/{body.GetProperty("key").GetProperty("id").GetString()}");
        var refused = await Eventually.MatchAsync(() => SignInAsync(connection), r => r.StartsWith("28", StringComparison.Ordinal), ApiIsolationFixture.Patience,
            r => $"the revoked token's sign-in answered {r}");

        Assert.Equal("app_ro", user);
        Assert.True(revoke.IsSuccessStatusCode, await revoke.Content.ReadAsStringAsync());
        Assert.Matches("^28(000|P01)$", refused);
    }

    /// <summary>The database user the session runs as, or the SQLSTATE of the refusal.</summary>
    private static async Task<string> SignInAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select current_user::text", connection);
            return (string)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException ex)
        {
            return ex.SqlState;
        }
    }
}
