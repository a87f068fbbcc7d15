using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// <c>POST /api/v1/policies/dry-run</c> through the real Host: statements run through the proxy, then a policy that is
/// not published is tried on them; bad input of every kind is a 400 problem.
/// </summary>
public sealed class PolicyDryRunTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task DryRun_PolicyDenyingDdl_ReportsTheStatementsItWouldDenyAndRedact()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-5);
        var table = "dry_" + Guid.NewGuid().ToString("N")[..12];
        var select = $"select '{table}' as marker";
        await using (var connection = new NpgsqlConnection(platform.ProxyConnectionString(PlatformFixture.TenantA)))
        {
            await connection.OpenAsync();
            foreach (var sql in new[] { $"create table {table} (a int)", select, $"drop table {table}" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        var drop = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("sql").GetString() == $"drop table {table}");
        var read = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("sql").GetString() == select);
        using var api = platform.Api(PlatformFixture.TenantA);
        var request = new
        {
            document = new
            {
                rules = new object[]
                {
                    new { id = "no-ddl", effect = "deny", kinds = new[] { "ddl" } },
                    new { id = "hide-reads", effect = "redact", kinds = new[] { "read" } },
                    new { id = "nobody", effect = "deny", kinds = new[] { "write" }, databaseUsers = new[] { "no-such-user" } },
                },
            },
            from = since,
        };

        using var response = await api.PostAsJsonAsync("/api/v1/policies/dry-run", request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {text}");
        var result = JsonDocument.Parse(text).RootElement;

        var rules = result.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("ruleId").GetString()!);
        Assert.Contains(drop.GetProperty("id").GetString(), rules["no-ddl"].GetProperty("eventIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(read.GetProperty("id").GetString(), rules["hide-reads"].GetProperty("eventIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, rules["nobody"].GetProperty("matched").GetInt32());
        Assert.True(rules["no-ddl"].GetProperty("matched").GetInt32() >= 2, text); // the create and the drop
        var samples = result.GetProperty("samples").EnumerateArray().ToList();
        var denied = Assert.Single(samples, s => s.GetProperty("sql").GetString() == $"drop table {table}");
        Assert.Equal(("deny", "no-ddl"), (denied.GetProperty("decision").GetString(), denied.GetProperty("ruleId").GetString()));
        var redacted = Assert.Single(samples, s => s.GetProperty("sql").GetString() == select);
        Assert.Equal(("redact", "hide-reads"), (redacted.GetProperty("decision").GetString(), redacted.GetProperty("ruleId").GetString()));
        Assert.True(result.GetProperty("totals").GetProperty("denied").GetInt32() >= 2, text);
        Assert.True(result.GetProperty("examined").GetInt32() >= 3, text);
        Assert.False(result.GetProperty("hasGrant").GetBoolean());

        // Nothing was published: a dry-run is only a look.
        var policies = await api.GetFromJsonAsync<JsonElement>("/api/v1/policies");
        Assert.DoesNotContain("no-ddl", policies.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all", null)]
    [InlineData("{\"document\": 5}", "document must be a policy document")]
    [InlineData("{}", "document is required")]
    [InlineData("{\"document\": {\"rules\": [{\"id\": \"a\", \"effect\": \"deny\"}]}}", "document.rules[0]")]
    [InlineData("{\"document\": {\"rules\": [{\"id\": \"a\", \"effect\": \"deny\", \"kinds\": [\"writes\"]}]}}", "unknown kind")]
    [InlineData("{\"document\": \"{\\\"rules\\\": [\"}", "not well-formed JSON")]
    [InlineData("{\"document\": {\"rules\": []}, \"limit\": 0}", "limit must be between 1 and 10000")]
    [InlineData("{\"document\": {\"rules\": []}, \"limit\": 100000}", "limit must be between 1 and 10000")]
    [InlineData("{\"document\": {\"rules\": []}, \"limit\": \"many\"}", null)]
    [InlineData("{\"document\": {\"rules\": []}, \"from\": \"2026-01-02T00:00:00Z\", \"to\": \"2026-01-01T00:00:00Z\"}", "must be before to")]
    [InlineData("{\"document\": {\"rules\": []}, \"from\": \"yesterday\"}", null)]
    public async Task DryRun_BadInput_Is400Problem(string body, string? mentions)
    {
        using var api = platform.Api(PlatformFixture.TenantA);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await api.PostAsync("/api/v1/policies/dry-run", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (mentions is not null)
        {
            Assert.Contains(mentions, text, StringComparison.Ordinal);
        }
    }
}
