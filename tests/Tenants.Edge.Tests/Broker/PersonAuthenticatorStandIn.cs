using System.Collections.Concurrent;
using Tenants.Abstractions.Tenancy;
using Tenants.Edge.Broker;

namespace Tenants.Edge.Tests.Broker;

/// <summary>
/// Stands in for the tenant grain's token check (the Edge tests may not reference Tenants.Grains; the real check has
/// its own tests there): <see cref="Tokens"/> maps a token to the member it signs in.
/// </summary>
public sealed class PersonAuthenticatorStandIn : IPersonAuthenticator
{
    public ConcurrentDictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Every check asked for: (tenant, endpoint, login).</summary>
    public ConcurrentQueue<(string TenantId, string EndpointId, string Login)> Calls { get; } = new();

    public ValueTask<PersonAuthentication> AuthenticateAsync(string tenantId, string endpointId, string login, string token, CancellationToken cancellationToken)
    {
        Calls.Enqueue((tenantId, endpointId, login));
        return ValueTask.FromResult(Tokens.TryGetValue(token, out var member) && member == login
            ? new PersonAuthentication { MemberId = member, KeyId = "01STANDIN" }
            : PersonAuthentication.Refused("stand-in: not a token of this member"));
    }
}
