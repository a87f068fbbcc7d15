using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tenants.Infra.Tests;

/// <summary>
/// Reads a compiled ARM template (modules included, as nested deployments) and lists every place it breaks the
/// deployment's security rules. A value it cannot resolve to a literal counts as a break: what cannot be read here
/// cannot be promised.
/// </summary>
internal static partial class InfraSecurityChecker
{
    public const string KeyVaultCryptoUser = "12338af0-0e69-4776-bea7-57ae8d297424";
    public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    public const string AcrPull = "7f951dda-4ed3-4680-a7ca-43d09b82d9ca";

    private static readonly Dictionary<string, string> ForbiddenRoleNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635"] = "Owner",
        ["b24988ac-6180-42a0-ab88-20f7382dd24c"] = "Contributor",
        ["18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"] = "User Access Administrator",
    };

    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    // The only roles granted, each on the one kind of resource it is for: never an account, vault, resource group or
    // subscription.
    private static readonly Dictionary<string, (string Name, string Scope)> AllowedRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        [KeyVaultCryptoUser] = ("Key Vault Crypto User", "Microsoft.KeyVault/vaults/keys"),
        [KeyVaultSecretsUser] = ("Key Vault Secrets User", "Microsoft.KeyVault/vaults/secrets"),
        [StorageBlobDataContributor] = ("Storage Blob Data Contributor", "Microsoft.Storage/storageAccounts/blobServices/containers"),
        [AcrPull] = ("AcrPull", "Microsoft.ContainerRegistry/registries"),
    };

    public static IReadOnlyList<string> Check(JsonElement template)
    {
        var violations = new List<string>();
        var scopes = ArmTemplateScope.Root(template).SelfAndDescendants().ToList();
        foreach (var scope in scopes)
        {
            CheckStorage(scope, violations);
            CheckKeyVaults(scope, violations);
            CheckRoleAssignments(scope, violations);
            CheckContainerApps(scope, violations);
            CheckPostgres(scope, violations);
            CheckRegistries(scope, violations);
        }

        CheckLedgerWorm(scopes, violations);
        if (!scopes.Any(s => s.OfType("Microsoft.KeyVault/vaults/keys").Any()))
        {
            violations.Add("main: no Key Vault key (the ledger-signing key)");
        }

        return violations;
    }

    private static void CheckStorage(ArmTemplateScope scope, List<string> violations)
    {
        var accounts = scope.OfType("Microsoft.Storage/storageAccounts").ToList();
        foreach (var account in accounts)
        {
            Expect(scope, account, "properties.allowSharedKeyAccess", false, violations);
            Expect(scope, account, "properties.supportsHttpsTrafficOnly", true, violations);
            Expect(scope, account, "properties.minimumTlsVersion", "TLS1_2", violations);
            Expect(scope, account, "properties.allowBlobPublicAccess", false, violations);
        }

        var blobServices = scope.OfType("Microsoft.Storage/storageAccounts/blobServices").ToList();
        foreach (var blobService in blobServices)
        {
            Expect(scope, blobService, "properties.deleteRetentionPolicy.enabled", true, violations);
        }

        if (blobServices.Count < accounts.Count)
        {
            violations.Add($"{scope.Path}: {accounts.Count} storage account(s) but {blobServices.Count} blob service(s) with soft delete");
        }
    }

    private static void CheckLedgerWorm(List<ArmTemplateScope> scopes, List<string> violations)
    {
        var ledgers = 0;
        foreach (var scope in scopes)
        {
            foreach (var container in scope.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Where(c => scope.NameSegments(c)[^1] == "ledger"))
            {
                ledgers++;
                var policies = scope.OfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies")
                    .Where(p => scope.NameSegments(p) is { Count: >= 2 } segments && segments[^2] == "ledger")
                    .ToList();
                if (policies.Count == 0)
                {
                    violations.Add($"{scope.Path}: the ledger container has no immutability policy (WORM)");
                }

                foreach (var policy in policies)
                {
                    if (scope.Get(policy, "properties.immutabilityPeriodSinceCreationInDays") is not { ValueKind: JsonValueKind.Number } days || days.GetInt32() <= 0)
                    {
                        violations.Add($"{scope.Path}: the ledger's immutability period is not a positive number of days");
                    }

                    Expect(scope, policy, "properties.allowProtectedAppendWrites", true, violations);
                }
            }
        }

        if (ledgers == 0)
        {
            violations.Add("main: no `ledger` blob container");
        }
    }

    private static void CheckKeyVaults(ArmTemplateScope scope, List<string> violations)
    {
        foreach (var vault in scope.OfType("Microsoft.KeyVault/vaults"))
        {
            Expect(scope, vault, "properties.enableRbacAuthorization", true, violations);
            Expect(scope, vault, "properties.enablePurgeProtection", true, violations);
            if (scope.Get(vault, "properties.enableSoftDelete") is { ValueKind: not JsonValueKind.True })
            {
                violations.Add($"{Describe(scope, vault)}: enableSoftDelete is not true");
            }

            if (scope.Get(vault, "properties.accessPolicies") is { } policies
                && !(policies.ValueKind == JsonValueKind.Array && policies.GetArrayLength() == 0))
            {
                violations.Add($"{Describe(scope, vault)}: has access policies (RBAC only)");
            }
        }

        foreach (var key in scope.OfType("Microsoft.KeyVault/vaults/keys"))
        {
            var kty = scope.Get(key, "properties.kty")?.ToString();
            if (kty is not ("EC" or "EC-HSM"))
            {
                violations.Add($"{Describe(scope, key)}: kty is {kty ?? "missing"}, not EC");
            }

            Expect(scope, key, "properties.curveName", "P-256", violations);
        }
    }

    private static void CheckRoleAssignments(ArmTemplateScope scope, List<string> violations)
    {
        foreach (var assignment in scope.OfType("Microsoft.Authorization/roleAssignments"))
        {
            var roleDefinition = scope.InlineVariables(scope.Get(assignment, "properties.roleDefinitionId")?.ToString() ?? string.Empty);
            var roles = Guid().Matches(roleDefinition).Select(m => m.Value).ToList();
            if (roles.Count != 1 || !AllowedRoles.TryGetValue(roles[0], out var allowed))
            {
                var name = roles.Count == 1 && ForbiddenRoleNames.TryGetValue(roles[0], out var forbidden) ? forbidden : roleDefinition;
                violations.Add($"{Describe(scope, assignment)}: role {name} is not one of {string.Join(", ", AllowedRoles.Values.Select(r => r.Name))}");
                continue;
            }

            var target = assignment.TryGetProperty("scope", out var s) ? scope.InlineVariables(s.ToString()) : null;
            var targetType = target is null ? null : ScopeType().Match(target) is { Success: true } m ? m.Groups[1].Value : null;
            if (!string.Equals(targetType, allowed.Scope, StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{Describe(scope, assignment)}: {allowed.Name} on {target ?? "(the deployment's resource group or subscription)"}, not on a single {allowed.Scope}");
            }
        }
    }

    private static void CheckContainerApps(ArmTemplateScope scope, List<string> violations)
    {
        foreach (var app in scope.OfType("Microsoft.App/containerApps"))
        {
            if (scope.Get(app, "properties.configuration.ingress") is not { ValueKind: JsonValueKind.Object })
            {
                continue;
            }

            if (scope.Get(app, "properties.configuration.ingress.transport")?.ToString() is { } transport
                && transport.Equals("tcp", StringComparison.OrdinalIgnoreCase))
            {
                var port = scope.Get(app, "properties.configuration.ingress.exposedPort");
                if (port is not { ValueKind: JsonValueKind.Number } || port.Value.GetInt32() is 80 or 443)
                {
                    violations.Add($"{Describe(scope, app)}: TCP ingress exposedPort {Text(port)} (must be set, not 80/443)");
                }
            }
            else
            {
                Expect(scope, app, "properties.configuration.ingress.allowInsecure", false, violations);
            }
        }
    }

    private static void CheckPostgres(ArmTemplateScope scope, List<string> violations)
    {
        var servers = scope.OfType("Microsoft.DBforPostgreSQL/flexibleServers").Count();
        var secureTransport = scope.OfType("Microsoft.DBforPostgreSQL/flexibleServers/configurations")
            .Where(c => scope.NameSegments(c)[^1] == "require_secure_transport")
            .ToList();
        foreach (var configuration in secureTransport)
        {
            Expect(scope, configuration, "properties.value", "on", violations);
        }

        if (secureTransport.Count < servers)
        {
            violations.Add($"{scope.Path}: {servers} PostgreSQL server(s) but {secureTransport.Count} require_secure_transport setting(s)");
        }
    }

    private static void CheckRegistries(ArmTemplateScope scope, List<string> violations)
    {
        foreach (var registry in scope.OfType("Microsoft.ContainerRegistry/registries"))
        {
            Expect(scope, registry, "properties.adminUserEnabled", false, violations);
        }
    }

    private static void Expect(ArmTemplateScope scope, JsonElement resource, string path, object expected, List<string> violations)
    {
        var actual = scope.Get(resource, path);
        var matches = expected switch
        {
            bool b => actual?.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
            string text => actual?.ValueKind == JsonValueKind.String && string.Equals(actual.Value.GetString(), text, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
        if (!matches)
        {
            var expectedText = expected is bool flag ? (flag ? "true" : "false") : expected.ToString();
            violations.Add($"{Describe(scope, resource)}: {path} is {Text(actual)}, expected {expectedText}");
        }
    }

    private static string Text(JsonElement? value) => value switch
    {
        null => "missing",
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { } other => other.GetRawText(),
    };

    private static string Describe(ArmTemplateScope scope, JsonElement resource) =>
        $"{scope.Path}: {resource.GetProperty("type").GetString()} '{string.Join('/', scope.NameSegments(resource))}'";

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"^\[resourceId\('([^']+)'")]
    private static partial Regex ScopeType();
}
