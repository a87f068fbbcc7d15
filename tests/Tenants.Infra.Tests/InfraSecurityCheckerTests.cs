using System.Text.Json;

namespace Tenants.Infra.Tests;

/// <summary>
/// Each of the checker's rules fails when broken: small templates under Snippets/ each break some, compiled with the
/// real compiler, and the checker must name every break.
/// </summary>
public sealed class InfraSecurityCheckerTests
{
    public static TheoryData<string, string[]> BrokenTemplates() => new()
    {
        { "storage-shared-key.bicep", ["allowSharedKeyAccess is true", "supportsHttpsTrafficOnly is false", "minimumTlsVersion is TLS1_0", "allowBlobPublicAccess is true", "0 blob service(s) with soft delete"] },
        { "ledger-without-worm.bicep", ["deleteRetentionPolicy.enabled is false", "immutability period is not a positive number", "allowProtectedAppendWrites is false"] },
        { "keyvault-access-policies.bicep", ["enableRbacAuthorization is false", "enablePurgeProtection is missing", "has access policies", "kty is RSA", "curveName is missing"] },
        { "contributor-on-group.bicep", ["role Contributor is not one of"] },
        { "blob-role-on-account.bicep", ["Storage Blob Data Contributor on [resourceId('Microsoft.Storage/storageAccounts', 'stledger')], not on a single Microsoft.Storage/storageAccounts/blobServices/containers"] },
        { "insecure-ingress.bicep", ["ingress.allowInsecure is true", "TCP ingress exposedPort 443"] },
        { "postgres-plaintext.bicep", ["properties.value is off, expected on"] },
        { "registry-admin-user.bicep", ["adminUserEnabled is true"] },
        { "symbolic-module.bicep", ["main/registry: Microsoft.ContainerRegistry/registries 'crbad': properties.adminUserEnabled is true"] },
    };

    [Theory]
    [MemberData(nameof(BrokenTemplates))]
    public async Task Checker_BrokenTemplate_ReportsEveryBreak(string snippet, string[] expected)
    {
        using var template = await CompileAsync(snippet);

        var violations = InfraSecurityChecker.Check(template.RootElement);

        var report = string.Join('\n', violations);
        foreach (var fragment in expected)
        {
            Assert.True(violations.Any(v => v.Contains(fragment, StringComparison.Ordinal)), $"expected '{fragment}' in:\n{report}");
        }
    }

    [Fact]
    public async Task Checker_LanguageVersion2Template_WalksResourcesKeyedBySymbolicName()
    {
        using var template = await CompileAsync("symbolic-module.bicep");

        Assert.Equal("2.0", template.RootElement.GetProperty("languageVersion").GetString());
        Assert.Equal(JsonValueKind.Object, template.RootElement.GetProperty("resources").ValueKind);
        Assert.Single(ArmTemplateScope.Root(template.RootElement).SelfAndDescendants(), s => s.OfType("Microsoft.ContainerRegistry/registries").Any());
    }

    [Fact]
    public async Task Checker_TemplateWithoutLedger_ReportsMissingWormAndSigningKey()
    {
        using var template = await CompileAsync("registry-admin-user.bicep");

        var violations = InfraSecurityChecker.Check(template.RootElement);

        Assert.Contains("main: no `ledger` blob container", violations);
        Assert.Contains("main: no Key Vault key (the ledger-signing key)", violations);
    }

    private static async Task<JsonDocument> CompileAsync(string snippet)
    {
        var result = await BicepCli.BuildAsync(RepositoryRoot.Combine("tests", "Tenants.Infra.Tests", "Snippets", snippet), CancellationToken.None);
        Assert.True(result.ExitCode == 0, result.Describe());
        return JsonDocument.Parse(result.StandardOutput);
    }
}
