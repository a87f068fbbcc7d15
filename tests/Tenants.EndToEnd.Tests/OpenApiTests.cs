using System.Net;
using System.Text.Json;
using FastEndpoints;

namespace Tenants.EndToEnd.Tests;

/// <summary>The API describes itself: an OpenAPI 3 document of every endpoint and an interactive reference page, both anonymous.</summary>
[Collection(PlatformCollection.Name)]
public sealed class OpenApiTests(PlatformFixture platform)
{
    [Fact]
    public async Task Document_ListsEveryEndpointOfTheApiAssembly_WithSummariesAndProblemResponses()
    {
        using var anonymous = platform.Api(null);

        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete").Select(o => (Path: path.Name, o.Name, Operation: o.Value)))
            .ToList();
        var endpointTypes = typeof(Tenants.Api.Hosting.ApiServiceCollectionExtensions).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(BaseEndpoint).IsAssignableFrom(t)).ToList();
        Assert.True(endpointTypes.Count >= 16, $"found only {endpointTypes.Count} endpoint types");
        Assert.Equal(endpointTypes.Count, operations.Count);
        foreach (var path in (string[])["/api/v1/events", "/api/v1/ledger/verify", "/api/v1/ledger/verifications", "/api/v1/ledger/verifications/{id}",
            "/api/v1/exports", "/api/v1/exports/{id}", "/api/v1/exports/{id}/download", "/.well-known/tenants/ledger-keys"])
        {
            Assert.Contains(operations, o => o.Path == path);
        }

        foreach (var (path, verb, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{verb} {path} has no summary");
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("500", out var error), $"{verb} {path} documents no 500");
            Assert.True(error.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{verb} {path}: 500 is not problem JSON");
        }

        var create = operations.Single(o => o.Path == "/api/v1/exports" && o.Name == "post").Operation;
        Assert.True(create.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(create.GetProperty("responses").TryGetProperty("202", out _));
    }

    [Fact]
    public async Task ReferencePage_LoadsAnonymously()
    {
        using var anonymous = platform.Api(null);

        using var response = await anonymous.GetAsync("/api/reference");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Tenants API", html, StringComparison.Ordinal);
        Assert.Contains("scalar", html, StringComparison.OrdinalIgnoreCase);
    }
}
