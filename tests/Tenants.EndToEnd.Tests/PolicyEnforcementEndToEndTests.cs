using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenants.Abstractions.Tenancy;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A policy published through the API is enforced by the real Host's edge within seconds, with psql (simple protocol)
/// and Npgsql (extended protocol): a DROP TABLE is denied and the table stays, an UPDATE without WHERE is denied, an
/// email column comes back masked, a query returning more rows than allowed ends with 54000, literals and parameters are
/// stored as keyed hashes, and every decision is in the ledger with the rule and the policy version's hash.
/// </summary>
public sealed class PolicyEnforcementEndToEndTests
{
    private const string Tenant = "policy-e2e";
    private const string EndpointId = "policy-e2e-db";
    private const string Email = "alice@example.com";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const string Document = """
        {
          "description": "production guard rails",
          "rules": [
            { "id": "no-drop", "effect": "deny", "commands": ["DROP TABLE"], "message": "tables are dropped through migrations" },
            { "id": "require-where", "effect": "deny", "missingWhere": true },
            { "id": "mask-email", "effect": "mask", "columns": [{ "table": "customers", "column": "email", "mask": "partial" }] },
            { "id": "hide-values", "effect": "redact", "relations": ["customers"] },
            { "id": "cap", "effect": "limit", "maxRows": 5, "relations": ["big"] }
          ]
        }
        """;

    [Fact]
    public async Task PublishedPolicy_IsEnforcedForPsqlAndNpgsql_AndEveryDecisionIsInTheLedger()
    {
        await using var platform = await IsolatedPlatform.StartAsync(Tenant, (settings, upstream) => settings.AddEndpoint(EndpointId, Tenant, upstream));
        await platform.StartHostAsync();
        using (var client = await platform.ClusterClientAsync())
        {
            await client.Services.GetRequiredService<IClusterClient>().GetGrain<ITenantGrain>(Tenant)
                .CreateAsync("Policy Ltd", new TenantMember { Id = "olivia", Email = "olivia@example.com", Role = MemberRole.Owner });
        }

        await using (var direct = new NpgsqlConnection(platform.DirectConnectionString))
        {
            await direct.OpenAsync();
            await new NpgsqlCommand($"create table customers (id int primary key, email text, note text); insert into customers values (1, '{Email}', 'vip'); create table big as select generate_series(1, 10) as n", direct).ExecuteNonQueryAsync();
        }

        using var api = platform.Api();
        using var published = await api.PostAsync("/api/v1/policies", new StringContent(Document, Encoding.UTF8, "application/json"));
        var policy = await published.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(published.IsSuccessStatusCode, policy.ToString());
        var sha = policy.GetProperty("version").GetProperty("sha256").GetString();

        // The edge picks the new version up within its refresh interval.
        var drop = await Eventually.MatchAsync(() => PsqlAsync(platform, "drop table customers"), r => r.Output.Contains("42501", StringComparison.Ordinal), Patience, r => r.Output);
        var update = await PsqlAsync(platform, "update customers set note = 'x'");
        var select = await PsqlAsync(platform, "select id, email, note from customers where note = 'vip'");
        var capped = await PsqlAsync(platform, "select n from big order by n");
        var underCap = await PsqlAsync(platform, "select n from big where n <= 5 order by n");
        string? extended;
        await using (var connection = new NpgsqlConnection(platform.EndpointConnectionString(EndpointId)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select email from customers where id = $1", connection) { Parameters = { new() { Value = 1 } } };
            extended = (string?)await command.ExecuteScalarAsync();
        }

        Assert.Contains("tables are dropped through migrations", drop.Output, StringComparison.Ordinal);
        Assert.Contains("require-where", update.Output, StringComparison.Ordinal);
        Assert.Equal("1|al*************om|vip", select.Output.Trim());
        Assert.Equal("al*************om", extended);
        Assert.Contains("54000", capped.Output, StringComparison.Ordinal);
        Assert.Contains("'cap'", capped.Output, StringComparison.Ordinal);
        Assert.Equal("1\n2\n3\n4\n5", underCap.Output.Trim().ReplaceLineEndings("\n"));
        await using (var direct = new NpgsqlConnection(platform.DirectConnectionString))
        {
            await direct.OpenAsync();
            Assert.Equal("vip", await new NpgsqlCommand("select note from customers where id = 1", direct).ExecuteScalarAsync());
        }

        var events = await Eventually.MatchAsync(
            async () => (await platform.AllEventsAsync(api, "&kind=statement")).Events,
            list => list.Count(e => e.TryGetProperty("sql", out var sql) && sql.GetString()?.Contains("customers", StringComparison.Ordinal) == true) >= 4,
            Patience,
            list => $"{list.Count} statements so far");
        var denied = events.Where(e => e.GetProperty("policyDecision").GetString() == "denied").ToList();
        Assert.Contains(denied, e => e.GetProperty("policyRule").GetString() == "no-drop" && e.GetProperty("sqlState").GetString() == "42501");
        Assert.Contains(denied, e => e.GetProperty("policyRule").GetString() == "require-where");
        Assert.Contains(events, e => e.GetProperty("policyDecision").GetString() == "limited" && e.GetProperty("policyRule").GetString() == "cap"
            && e.GetProperty("rows").GetInt64() == 5);
        Assert.All(denied, e => Assert.Equal(sha, e.GetProperty("policySha256").GetString()));
        var selected = Assert.Single(events, e => e.GetProperty("sql").GetString()!.StartsWith("select id, email, note", StringComparison.Ordinal));
        Assert.Contains("'hmac:", selected.GetProperty("sql").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("'vip'", selected.GetProperty("sql").GetString(), StringComparison.Ordinal);
        var bound = Assert.Single(events, e => e.GetProperty("sql").GetString()!.StartsWith("select email from customers", StringComparison.Ordinal));
        Assert.StartsWith("hmac:", bound.GetProperty("parameters")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.GetRawText().Contains(Email, StringComparison.Ordinal));

        // A search by value still finds the redacted statement: hash the value as the tenant's redact rule did.
        using var hashed = await api.PostAsJsonAsync("/api/v1/events/value-hash", new { value = "vip" });
        var query = (await hashed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("query").GetString()!;
        var found = await api.GetFromJsonAsync<JsonElement>($"/api/v1/events?q={Uri.EscapeDataString(query)}");
        Assert.Equal([selected.GetProperty("id").GetString()], found.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    private static async Task<(int ExitCode, string Output)> PsqlAsync(IsolatedPlatform platform, string sql)
    {
        var uri = $"postgresql://{platform.Postgres.Username}:{Uri.EscapeDataString(platform.Postgres.Password)}@127.0.0.1:{platform.Settings.ProxyPort}/app?options=endpoint%3D{EndpointId}";
        return await ProcessRunner.RunAsync(
            Path.Combine(platform.Postgres.BinDirectory, "psql"), [uri, "-X", "-A", "-t", "-v", "VERBOSITY=verbose", "-c", sql], false, TimeSpan.FromSeconds(30));
    }
}
