using System.Collections.Concurrent;
using Azure.Core;

namespace Tenants.Infrastructure.Tests.Signing;

/// <summary>
/// A stand-in for an Azure.Identity credential (Microsoft Entra ID cannot be reached here): hands out fake tokens and
/// records the scopes and tenant each token was asked for.
/// </summary>
public sealed class TokenCredentialStandIn : TokenCredential
{
    private int _issued;

    public ConcurrentQueue<TokenRequestContext> Requests { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => Issue(requestContext);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Issue(requestContext));

    private AccessToken Issue(TokenRequestContext context)
    {
        Requests.Enqueue(context);
        return new AccessToken($"stand-in-token-{Interlocked.Increment(ref _issued)}", DateTimeOffset.UtcNow.AddHours(1));
    }
}
