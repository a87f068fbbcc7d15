using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// <c>/api/v1/policies</c> through the real Host: publish, list, get, current and diff, and documents refused with
/// messages that name the JSON path. Tenant B publishes, so that tenant A's other tests never see its versions.
/// </summary>
[Collection(EndpointApiCollection.Name)]
public sealed class PolicyApiTests(EndpointApiFixture fixture)
{
    private const string First = """{"rules":[{"id":"no-drop","effect":"deny","description":"no DROP in production","commands":["DROP TABLE"]}]}""";
    private const string Second = """
        {
          "description": "tightened",
          "rules": [
            { "commands": ["DROP TABLE"], "effect": "deny", "id": "no-drop", "description": "no DROP in production" },
            { "id": "mask-email", "effect": "mask", "columns": [{ "table": "users", "column": "email", "mask": "partial" }] }
          ]
        }
        """;

    [Fact]
    public async Task Publish_List_Get_Current_Diff()
    {
        using var api = fixture.Api(EndpointApiFixture.TenantB);
        var v1 = await PublishAsync(api, First);
        var v2 = await PublishAsync(api, Second);
        var n1 = v1.GetProperty("version").GetProperty("version").GetInt32();
        var n2 = v2.GetProperty("version").GetProperty("version").GetInt32();
        Assert.Equal(n1 + 1, n2);
        Assert.Equal(("bob", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Second))), Encoding.UTF8.GetByteCount(Second)),
            (v2.GetProperty("version").GetProperty("author").GetString(), v2.GetProperty("version").GetProperty("sha256").GetString(), v2.GetProperty("version").GetProperty("size").GetInt32()));

        var list = await api.GetFromJsonAsync<JsonElement>("/api/v1/policies?limit=1");
        Assert.Equal(n2, list.GetProperty("items")[0].GetProperty("version").GetInt32());
        Assert.True(list.GetProperty("items")[0].GetProperty("current").GetBoolean());
        var next = await api.GetFromJsonAsync<JsonElement>($"/api/v1/policies?limit=1&before={list.GetProperty("next").GetInt32()}");
        Assert.Equal(n1, next.GetProperty("items")[0].GetProperty("version").GetInt32());

        var current = await api.GetFromJsonAsync<JsonElement>("/api/v1/policies/current");
        Assert.Equal("mask-email", current.GetProperty("document").GetProperty("rules")[1].GetProperty("id").GetString());
        var old = await api.GetFromJsonAsync<JsonElement>($"/api/v1/policies/{n1}");
        Assert.Single(old.GetProperty("document").GetProperty("rules").EnumerateArray());

        var diff = await api.GetFromJsonAsync<JsonElement>($"/api/v1/policies/{n1}/diff/{n2}");
        var lines = diff.GetProperty("lines").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Contains("+  \"description\": \"tightened\",", lines);
        Assert.Contains(lines, l => l.StartsWith('+') && l.Contains("mask-email", StringComparison.Ordinal));
        // Reordered properties of the unchanged rule are not a change: the documents are compared canonically.
        Assert.DoesNotContain(lines, l => l.StartsWith('-') && l.Contains("no-drop", StringComparison.Ordinal));
        Assert.Equal(0, diff.GetProperty("removed").GetInt32() - lines.Count(l => l.StartsWith('-')));

        using var a = fixture.Api(EndpointApiFixture.TenantA);
        var theirs = await a.GetFromJsonAsync<JsonElement>("/api/v1/policies");
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), p => p.GetProperty("author").GetString() == "bob");
        await EndpointApiTests.AssertProblemAsync(await api.GetAsync("/api/v1/policies/9999"), HttpStatusCode.NotFound, "no policy version 9999");
        await EndpointApiTests.AssertProblemAsync(await api.GetAsync($"/api/v1/policies/{n1}/diff/9999"), HttpStatusCode.NotFound, "9999");
    }

    [Theory]
    [InlineData("{\"rules\": [", "not well-formed JSON")]
    [InlineData("[]", "a policy document is a JSON object")]
    [InlineData("{\"rules\":[],\"extra\":1}", "$.extra")]
    [InlineData("{}", "$.rules")]
    [InlineData("{\"rules\":{}}", "rules must be an array")]
    [InlineData("{\"rules\":[{\"id\":\"a\",\"effect\":\"deny\"},{\"id\":\"a\",\"effect\":\"mask\"}]}", "$.rules[1].id")]
    [InlineData("{\"rules\":[{\"id\":\"a\",\"effect\":\"explode\"}]}", "$.rules[0].effect")]
    [InlineData("{\"rules\":[{\"effect\":\"deny\"}]}", "id is required")]
    [InlineData("{\"rules\":[\"'; drop table policies; --\"]}", "a rule must be an object")]
    [InlineData("{\"rules\":[{\"id\":\"a\",\"effect\":\"deny\",\"description\":7}]}", "$.rules[0].description")]
    [InlineData("{\"rules\":[{\"id\":\"a\",\"effect\":\"deny\",\"kinds\":[\"writes\"]}]}", "unknown kind")]
    [InlineData("{\"rules\":[{\"id\":\"a\",\"effect\":\"deny\"}]}", "needs at least one statement condition")]
    [InlineData("{\"rules\":[{\"id\":\"a\",\"effect\":\"limit\",\"maxRows\":0}]}", "$.rules[0].maxRows")]
    public async Task Publish_InvalidDocument_Is400WithThePath(string document, string mentions)
    {
        using var api = fixture.Api(EndpointApiFixture.TenantB);
        var before = (await api.GetFromJsonAsync<JsonElement>("/api/v1/policies")).GetProperty("items").GetArrayLength();
        using var content = new StringContent(document, Encoding.UTF8, "application/json");
        await EndpointApiTests.AssertProblemAsync(await api.PostAsync("/api/v1/policies", content), HttpStatusCode.BadRequest, mentions);
        Assert.Equal(before, (await api.GetFromJsonAsync<JsonElement>("/api/v1/policies")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Publish_HugeDocument_Is413_AndNoAccount_Is409()
    {
        using var api = fixture.Api(EndpointApiFixture.TenantB);
        var huge = "{\"rules\":[],\"description\":\"" + new string('x', (1 << 20) + 10) + "\"}";
        using var content = new StringContent(huge, Encoding.UTF8, "application/json");
        await EndpointApiTests.AssertProblemAsync(await api.PostAsync("/api/v1/policies", content), HttpStatusCode.RequestEntityTooLarge, "over");

        using var none = fixture.Api(EndpointApiFixture.NoAccount);
        using var body = new StringContent(First, Encoding.UTF8, "application/json");
        await EndpointApiTests.AssertProblemAsync(await none.PostAsync("/api/v1/policies", body), HttpStatusCode.Conflict, "no account");
        await EndpointApiTests.AssertProblemAsync(await none.GetAsync("/api/v1/policies/current"), HttpStatusCode.NotFound, "no policy");
    }

    private static async Task<JsonElement> PublishAsync(HttpClient api, string document)
    {
        using var content = new StringContent(document, Encoding.UTF8, "application/json");
        using var response = await api.PostAsync("/api/v1/policies", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
