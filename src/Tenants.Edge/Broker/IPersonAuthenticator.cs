using Tenants.Abstractions.Tenancy;

namespace Tenants.Edge.Broker;

/// <summary>Signs people in at brokered endpoints (the tenant grain checks the token; tests put a stand-in here).</summary>
public interface IPersonAuthenticator
{
    /// <summary>Whether <paramref name="token"/> signs <paramref name="login"/> in at the endpoint.</summary>
    /// <exception cref="PersonAuthenticatorUnavailableException">The tenant could not be asked.</exception>
    ValueTask<PersonAuthentication> AuthenticateAsync(string tenantId, string endpointId, string login, string token, CancellationToken cancellationToken);
}
