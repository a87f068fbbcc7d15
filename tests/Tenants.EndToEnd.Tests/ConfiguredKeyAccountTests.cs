using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A key configured by the operator (<c>Api:Keys</c>) acts as the tenant's first owner everywhere: it invites, changes
/// and removes members (owners too) and issues API keys; a tenant with no account answers 409 to such changes.
/// </summary>
[Collection(EndpointApiCollection.Name)]
public sealed class ConfiguredKeyAccountTests(EndpointApiFixture fixture)
{
    [Fact]
    public async Task ConfiguredKey_ManagesMembersAndKeys_AsTheFirstOwner()
    {
        using var api = fixture.Api(EndpointApiFixture.TenantA);

        using var invite = await api.PostAsJsonAsync("/api/v1/members", new { email = "oscar@a.example", role = "owner", memberId = "oscar" });
        using var demote = await api.PatchAsJsonAsync("/api/v1/members/oscar", new { role = "auditor" });
        using var issue = await api.PostAsJsonAsync("/api/v1/keys", new { name = "ops", kind = "apiKey", scopes = new List<string> { "events:read" } });
        var key = (await issue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key");
        using var revoke = await api.DeleteAsync(new Uri($"/api/v1/keys/{key.GetProperty("id").GetString()}", UriKind.Relative));
        using var remove = await api.DeleteAsync(new Uri("/api/v1/members/oscar", UriKind.Relative));
        using var token = await api.PostAsJsonAsync("/api/v1/keys", new { name = "mine", kind = "personalAccessToken", scopes = new List<string> { "db:connect" } });

        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        Assert.Equal(HttpStatusCode.OK, demote.StatusCode);
        Assert.Equal(HttpStatusCode.Created, issue.StatusCode);
        Assert.Equal("olivia", key.GetProperty("issuedBy").GetString());
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, token.StatusCode);
    }

    [Fact]
    public async Task ConfiguredKey_OfATenantWithoutAccount_Is409ForMemberAndKeyChanges()
    {
        using var api = fixture.Api(EndpointApiFixture.NoAccount);

        using var invite = await api.PostAsJsonAsync("/api/v1/members", new { email = "x@none.example", role = "admin" });
        using var issue = await api.PostAsJsonAsync("/api/v1/keys", new { name = "ops", kind = "apiKey", scopes = new List<string> { "events:read" } });

        foreach (var response in new[] { invite, issue })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("no account yet", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
