using System.Text.Json;

namespace Tenants.Infra.Tests;

/// <summary>The compiled deployment keeps the security properties the platform promises (docs/operations.md).</summary>
public sealed class InfraSecurityTests(CompiledMainTemplate main) : IClassFixture<CompiledMainTemplate>
{
    [Fact]
    public void MainTemplate_SecurityChecks_FindNothing()
    {
        var violations = InfraSecurityChecker.Check(main.Template);

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void MainTemplate_RoleAssignments_AreOnePerKeyContainerAndRegistry()
    {
        // The checker passes vacuously without role assignments; these are the six the apps need (the certificate's only
        // when the operator names one).
        var roles = Resources(main.Template, "Microsoft.Authorization/roleAssignments")
            .Select(r => (Scope: r.Scope.InlineVariables(r.Resource.GetProperty("scope").GetString()!), Role: r.Scope.InlineVariables(r.Resource.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!)))
            .ToList();

        Assert.Equal(6, roles.Count);
        Assert.Single(roles, r => r.Scope.Contains("Microsoft.KeyVault/vaults/keys", StringComparison.Ordinal) && r.Role.Contains(InfraSecurityChecker.KeyVaultCryptoUser, StringComparison.Ordinal));
        Assert.Single(roles, r => r.Scope.Contains("Microsoft.KeyVault/vaults/secrets", StringComparison.Ordinal) && r.Role.Contains(InfraSecurityChecker.KeyVaultSecretsUser, StringComparison.Ordinal));
        Assert.Single(roles, r => r.Scope.Contains("Microsoft.ContainerRegistry/registries", StringComparison.Ordinal) && r.Role.Contains(InfraSecurityChecker.AcrPull, StringComparison.Ordinal));
        foreach (var container in new[] { "'ledger'", "'ledger-journal'", "'ledger-exports'" })
        {
            Assert.Single(roles, r => r.Scope.EndsWith($"{container})]", StringComparison.Ordinal) && r.Role.Contains(InfraSecurityChecker.StorageBlobDataContributor, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void MainTemplate_ContainerApps_SiloIsHttpsOnlyAndEdgeIsTcpOn5432()
    {
        var apps = Resources(main.Template, "Microsoft.App/containerApps").ToList();
        var ingress = apps.ToDictionary(
            a => a.Scope.NameSegments(a.Resource)[^1],
            a => (Transport: a.Scope.Get(a.Resource, "properties.configuration.ingress.transport")!.Value.GetString(), a.Scope, a.Resource));

        Assert.Equal(2, apps.Count);
        var silo = Assert.Single(ingress, i => i.Value.Transport == "http").Value;
        Assert.Equal(JsonValueKind.False, silo.Scope.Get(silo.Resource, "properties.configuration.ingress.allowInsecure")!.Value.ValueKind);
        // azd deploys the `host` service to the app with this tag.
        Assert.Contains("'azd-service-name', 'host'", silo.Resource.GetProperty("tags").ToString(), StringComparison.Ordinal);
        var edge = Assert.Single(ingress, i => i.Value.Transport == "tcp").Value;
        Assert.Equal(5432, edge.Scope.Get(edge.Resource, "properties.configuration.ingress.exposedPort")!.Value.GetInt32());
    }

    [Fact]
    public void MainTemplate_Outputs_AreAzdNamesAndNoSecrets()
    {
        var outputs = main.Template.GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToList();

        foreach (var name in new[] { "AZURE_LOCATION", "AZURE_RESOURCE_GROUP", "AZURE_CONTAINER_REGISTRY_ENDPOINT", "AZURE_CONTAINER_APPS_ENVIRONMENT_ID", "AZURE_KEY_VAULT_ENDPOINT", "AZURE_MANAGED_IDENTITY_CLIENT_ID", "SERVICE_HOST_NAME", "SERVICE_HOST_URI", "EDGE_ENDPOINT", "APPLICATIONINSIGHTS_CONNECTION_STRING", "LEDGER__BLOB__SERVICEURI" })
        {
            Assert.Contains(name, outputs);
        }

        Assert.DoesNotContain(outputs, o => o.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || o.Contains("KEYS", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("postgresAdminPassword", main.Template.GetProperty("outputs").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("credentialKeys", main.Template.GetProperty("outputs").ToString(), StringComparison.Ordinal);
    }

    private static IEnumerable<(ArmTemplateScope Scope, JsonElement Resource)> Resources(JsonElement template, string type) =>
        ArmTemplateScope.Root(template).SelfAndDescendants().SelectMany(s => s.OfType(type).Select(r => (s, r)));
}
