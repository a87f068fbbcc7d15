using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Tenants.Infrastructure.Signing;

/// <summary>
/// Challenge-based bearer authentication, as the Key Vault SDK does it: the first request to a vault goes out without
/// a token and without its body; the vault's 401 names the token audience and the tenant
/// (<c>WWW-Authenticate: Bearer authorization="https://login.../&lt;tenant&gt;", resource="https://vault.azure.net"</c>),
/// which are cached per vault, and the request is sent again with a token and its body. The token is therefore always
/// for the vault's own tenant and cloud, whatever the credential's default.
/// </summary>
internal sealed partial class KeyVaultChallengeAuthenticationPolicy : BearerTokenAuthenticationPolicy
{
    private const string StashedContentKey = "Tenants.KeyVault.StashedContent";

    private readonly ConcurrentDictionary<string, Challenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _verifyResource;

    public KeyVaultChallengeAuthenticationPolicy(TokenCredential credential, bool verifyChallengeResource)
        : base(credential, [])
    {
        _verifyResource = verifyChallengeResource;
    }

    protected override ValueTask AuthorizeRequestAsync(HttpMessage message)
    {
        if (message.Request.Uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException("Key Vault must be reached over HTTPS: bearer tokens never travel in the clear.");
        }

        if (_challenges.TryGetValue(Authority(message.Request), out var challenge))
        {
            return AuthenticateAndAuthorizeRequestAsync(message, challenge.Context(message));
        }

        // Unauthenticated first request: no body, since it is only sent to learn the challenge.
        if (message.Request.Content is { } content)
        {
            message.SetProperty(StashedContentKey, content);
            message.Request.Content = null;
        }

        return ValueTask.CompletedTask;
    }

    protected override void AuthorizeRequest(HttpMessage message) =>
        throw new NotSupportedException("The Key Vault signer is asynchronous only.");

    protected override async ValueTask<bool> AuthorizeRequestOnChallengeAsync(HttpMessage message)
    {
        if (message.Request.Content is null && message.TryGetProperty(StashedContentKey, out var stashed))
        {
            message.Request.Content = (RequestContent?)stashed;
        }

        var header = message.Response.Headers.TryGetValue("WWW-Authenticate", out var value) ? value : null;
        var parameters = ParseBearerChallenge(header);
        var scope = parameters.TryGetValue("resource", out var resource)
            ? resource.TrimEnd('/') + "/.default"
            : parameters.GetValueOrDefault("scope");
        if (string.IsNullOrEmpty(scope))
        {
            return false;
        }

        if (!Uri.TryCreate(scope, UriKind.Absolute, out var scopeUri))
        {
            throw new InvalidOperationException($"The vault's authentication challenge names the scope '{scope}', which is not a URI.");
        }

        var host = message.Request.Uri.Host ?? string.Empty;
        if (_verifyResource && !host.EndsWith("." + scopeUri.Host, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The authentication challenge from {host} is for the resource '{scopeUri.Host}', which does not match the vault's host. A vault host must end with '.{scopeUri.Host}'; check Ledger:Signing:KeyVault:VaultUri."));
        }

        var authorization = parameters.GetValueOrDefault("authorization") ?? parameters.GetValueOrDefault("authorization_uri");
        string? tenantId = null;
        if (Uri.TryCreate(authorization, UriKind.Absolute, out var authorizationUri) && authorizationUri.Segments.Length > 1)
        {
            tenantId = authorizationUri.Segments[1].Trim('/');
        }

        var challenge = new Challenge([scope], tenantId);
        _challenges[Authority(message.Request)] = challenge;
        await AuthenticateAndAuthorizeRequestAsync(message, challenge.Context(message)).ConfigureAwait(false);
        return true;
    }

    /// <summary>The parameters of the <c>Bearer</c> challenge in a <c>WWW-Authenticate</c> header (names lower-cased).</summary>
    internal static Dictionary<string, string> ParseBearerChallenge(string? header)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(header))
        {
            return result;
        }

        var bearer = BearerScheme().Match(header);
        if (!bearer.Success)
        {
            return result;
        }

        // Parameters run until the next scheme, i.e. the next token not followed by '='.
        for (var match = Parameter().Match(header, bearer.Index + bearer.Length); match.Success; match = match.NextMatch())
        {
            if (match.Groups["scheme"].Success)
            {
                break;
            }

            var name = match.Groups["name"].Value;
            var text = match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["token"].Value;
            result.TryAdd(name, text);
        }

        return result;
    }

    private static string Authority(Azure.Core.Request request) =>
        string.Create(CultureInfo.InvariantCulture, $"{request.Uri.Scheme}://{request.Uri.Host}:{request.Uri.Port}");

    [GeneratedRegex(@"(?:^|[\s,])Bearer(?=\s|$)", RegexOptions.IgnoreCase)]
    private static partial Regex BearerScheme();

    [GeneratedRegex(@"\G[\s,]*(?:(?<name>[A-Za-z0-9_\-]+)\s*=\s*(?:""(?<quoted>[^""]*)""|(?<token>[^\s,""]+))|(?<scheme>[A-Za-z0-9_\-]+)(?=\s|$))")]
    private static partial Regex Parameter();

    private sealed record Challenge(string[] Scopes, string? TenantId)
    {
        public TokenRequestContext Context(HttpMessage message) =>
            new(Scopes, parentRequestId: message.Request.ClientRequestId, claims: null, tenantId: TenantId, isCaeEnabled: true);
    }
}
