using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tenants.EndToEnd.Tests;

/// <summary>Every error under /api is RFC 7807 problem JSON with the status a client expects, never a bare page or a 500.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ApiErrorsTests(PlatformFixture platform)
{
    [Fact]
    public async Task UnknownApiRoute_Is404Problem()
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.GetAsync("/api/v1/no-such-thing");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongMethod_Is405Problem()
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.DeleteAsync("/api/v1/ledger/verifications");

        await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task BodyThatIsNotJson_Is415Problem()
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.PostAsync("/api/v1/exports", new StringContent("kind=statement", Encoding.UTF8, "text/plain"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("{\"kind\": ", "")]
    [InlineData("{\"minRows\": \"many\"}", "minRows")]
    [InlineData("{\"from\": 12}", "from")]
    [InlineData("[1, 2, 3]", "")]
    public async Task MalformedJsonOrWrongType_Is400ProblemNamingTheField(string json, string field)
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.PostAsync("/api/v1/exports", new StringContent(json, Encoding.UTF8, "application/json"));

        var body = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(field, body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownJsonField_Is400Problem()
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.PostAsJsonAsync("/api/v1/exports", new { kind = "statement", tenant = PlatformFixture.TenantB });

        var body = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("tenant", body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeBody_Is413Problem()
    {
        using var api = platform.Api(PlatformFixture.TenantA);
        var huge = "{\"q\": \"" + new string('x', 2 << 20) + "\"}";

        using var response = await api.PostAsync("/api/v1/exports", new StringContent(huge, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task HugeChunkedBody_Is413Problem()
    {
        using var api = platform.Api(PlatformFixture.TenantA);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"q\": \"" + new string('x', 2 << 20) + "\"}")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/exports") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await api.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task MissingPermissionAndMissingKey_AreProblems()
    {
        using var anonymous = platform.Api(null);

        using var response = await anonymous.PostAsync("/api/v1/ledger/verifications", null);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return body;
    }
}
