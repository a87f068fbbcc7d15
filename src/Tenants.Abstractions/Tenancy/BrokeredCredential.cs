namespace Tenants.Abstractions.Tenancy;

/// <summary>
/// The database role and password an endpoint's sessions log in with when the proxy brokers credentials. The password
/// is only ever held sealed (<see cref="Secrets.CredentialProtector"/>, bound to the tenant and endpoint): the grain
/// state, the endpoint directory and every copy of the settings carry ciphertext, and only an edge node opens it, at
/// the moment it logs in upstream.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.brokered-credential.v1")]
public sealed record BrokeredCredential
{
    /// <summary>The database role (1-63 characters) every brokered session of the endpoint logs in as.</summary>
    [Id(0)] public required string User { get; init; }

    /// <summary>The role's password, sealed by <see cref="Secrets.CredentialProtector.Seal"/> for this tenant and endpoint.</summary>
    [Id(1)] public required string SealedPassword { get; init; }
}
