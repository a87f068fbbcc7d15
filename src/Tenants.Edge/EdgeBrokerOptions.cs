namespace Tenants.Edge;

/// <summary>
/// Brokered credentials of an endpoint: people sign in at the proxy with a personal access token, and the proxy logs
/// in upstream as <see cref="User"/>. The password is either given in configuration (<see cref="Password"/>, for
/// endpoints an operator configures) or sealed (<see cref="SealedPassword"/>, as the endpoint directory carries it).
/// </summary>
public sealed class EdgeBrokerOptions
{
    /// <summary>The database role every brokered session logs in as.</summary>
    public string User { get; set; } = string.Empty;

    /// <summary>The role's password in clear (configuration only).</summary>
    public string? Password { get; set; }

    /// <summary>The role's password sealed for this tenant and endpoint (<c>Tenants.Abstractions.Secrets.CredentialProtector</c>).</summary>
    public string? SealedPassword { get; set; }
}
