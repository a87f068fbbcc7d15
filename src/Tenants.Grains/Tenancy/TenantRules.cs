using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Tenants.Abstractions.Secrets;
using Tenants.Abstractions.Tenancy;
using Tenants.Abstractions.Webhooks;
using Tenants.Policy.Rules;

namespace Tenants.Grains.Tenancy;

/// <summary>The input rules of tenant changes; each failure is a <see cref="TenantValidationException"/> saying what to fix.</summary>
internal static partial class TenantRules
{
    public const int MaxPolicyBytes = 1 << 20;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex MemberIdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9:._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ScopePattern();

    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    public static void TenantId(string tenantId)
    {
        if (!IsId(tenantId))
        {
            throw Refused($"tenant id '{tenantId}' is not valid: use 1-63 lowercase letters, digits and hyphens, starting with a letter or digit");
        }
    }

    public static void EndpointId(string? id)
    {
        if (!IsId(id))
        {
            throw Refused($"endpoint id '{id}' is not valid: use 1-63 lowercase letters, digits and hyphens, starting with a letter or digit");
        }
    }

    public static void DisplayName(string? name) => Text(name, "display name", 100);

    public static void Member(TenantMember? member)
    {
        if (member is null)
        {
            throw Refused("a member is required");
        }

        MemberId(member.Id);
        var email = member.Email;
        var at = email?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        if (email is null || email.Length > 254 || at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1
            || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw Refused($"email '{email}' of member '{member.Id}' is not an email address");
        }

        Role(member.Role);
    }

    public static void MemberId(string? id)
    {
        if (id is null || !MemberIdPattern().IsMatch(id))
        {
            throw Refused($"member id '{id}' is not valid: use 1-63 lowercase letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
    }

    public static void Role(MemberRole role)
    {
        if (!Enum.IsDefined(role))
        {
            throw Refused($"role {(int)role} is not one of owner, admin, auditor, developer");
        }
    }

    public static void Endpoint(EndpointSettings? settings)
    {
        if (settings is null)
        {
            throw Refused("endpoint settings are required");
        }

        EndpointId(settings.Id);
        var where = $"endpoint '{settings.Id}'";
        Text(settings.UpstreamHost, $"upstream host of {where}", 253);
        if (settings.UpstreamHost.Any(char.IsWhiteSpace))
        {
            throw Refused($"upstream host of {where} must not contain spaces");
        }

        if (System.Net.IPAddress.TryParse(settings.UpstreamHost.Trim('[', ']'), out var literal)
            && WebhookAddressRules.Classify(literal) == WebhookAddressClass.Forbidden)
        {
            throw Refused($"upstream host {settings.UpstreamHost} of {where} is a link-local, cloud metadata or reserved address, which the platform never connects to");
        }

        if (settings.UpstreamPort is < 1 or > 65535)
        {
            throw Refused($"upstream port {settings.UpstreamPort} of {where} is not a port (1-65535)");
        }

        if (settings.DefaultDatabase is not null)
        {
            Text(settings.DefaultDatabase, $"default database of {where}", 63);
        }

        if (!Enum.IsDefined(settings.TlsMode))
        {
            throw Refused($"TLS mode {(int)settings.TlsMode} of {where} is not one of disable, require, verify-full");
        }

        if (settings.CaCertificatePem is not null)
        {
            if (settings.TlsMode != EndpointTlsMode.VerifyFull)
            {
                throw Refused($"a CA certificate for {where} is only used with TLS mode verify-full");
            }

            try
            {
                using var certificate = X509Certificate2.CreateFromPem(settings.CaCertificatePem);
            }
            catch (CryptographicException ex)
            {
                throw Refused($"the CA certificate of {where} is not a PEM certificate ({ex.Message})");
            }
        }

        if (settings.MaxConnections is < 0 or > 1_000_000)
        {
            throw Refused($"max connections {settings.MaxConnections} of {where} must be 0 (no limit) to 1000000");
        }

        if (settings.Broker is { } broker)
        {
            Text(broker.User, $"brokered database role of {where}", 63);
            if (!CredentialProtector.LooksSealed(broker.SealedPassword))
            {
                // A password in clear must never reach grain state, the directory or the ledger.
                throw Refused($"the brokered password of {where} must be sealed (CredentialProtector) before it is stored");
            }
        }

        var durability = settings.Durability ?? EndpointDurability.Default;
        foreach (var (name, mode) in new[] { ("read", durability.Read), ("write", durability.Write), ("ddl", durability.Ddl),
                     ("dcl", durability.Dcl), ("tcl", durability.Tcl), ("other", durability.Other) })
        {
            if (!Enum.IsDefined(mode))
            {
                throw Refused($"durability {(int)mode} for {name} statements of {where} is not one of durable, sequenced, async");
            }
        }
    }

    public static void KeyRequest(TenantKeyRequest? request, DateTimeOffset now)
    {
        if (request is null)
        {
            throw Refused("a key request is required");
        }

        Text(request.Name, "key name", 100);
        if (!Enum.IsDefined(request.Kind))
        {
            throw Refused($"key kind {(int)request.Kind} is not one of api key, personal access token");
        }

        if (request.Scopes is not { Count: > 0 and <= 32 })
        {
            throw Refused("a key needs 1 to 32 scopes");
        }

        if (request.Scopes.FirstOrDefault(s => s is null || !ScopePattern().IsMatch(s)) is { } bad)
        {
            throw Refused($"scope '{bad}' is not valid: use lowercase letters, digits and ':', '.', '_', '-'");
        }

        if (request.Expires is { } expires && expires <= now)
        {
            throw Refused($"the key would expire at {expires:O}, which is not in the future");
        }
    }

    public static void PolicyDocument(string? document)
    {
        if (string.IsNullOrWhiteSpace(document))
        {
            throw Refused("a policy document must not be empty");
        }

        if (Encoding.UTF8.GetByteCount(document) > MaxPolicyBytes)
        {
            throw Refused($"a policy document may be at most {MaxPolicyBytes} bytes");
        }

        // Whoever calls, a published version must be one the edge can enforce.
        var problems = PolicyCompiler.Compile(document, 0, "").Problems;
        if (problems.Count > 0)
        {
            var shown = string.Join("; ", problems.Take(5).Select(p => $"{p.Path}: {p.Message}"));
            throw Refused($"the policy document does not compile ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}): {shown}"
                + (problems.Count > 5 ? "; ..." : ""));
        }
    }

    public static TenantValidationException Refused(string message) => new(message);

    public static TenantValidationException NotFound(string message) => new(message, TenantRefusalKind.NotFound);

    public static TenantValidationException Conflict(string message) => new(message, TenantRefusalKind.Conflict);

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void Text(string? value, string what, int max)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > max || value.Any(char.IsControl) || value != value.Trim())
        {
            throw Refused($"{what} must be 1-{max} characters, without control characters or surrounding spaces");
        }
    }
}
