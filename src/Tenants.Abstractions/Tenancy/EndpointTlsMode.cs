namespace Tenants.Abstractions.Tenancy;

/// <summary>How the edge secures its connection to an endpoint's database (libpq's sslmode, as the edge has it).</summary>
[GenerateSerializer]
[Alias("tenants.endpoint-tls-mode.v1")]
public enum EndpointTlsMode
{
    /// <summary>Plaintext.</summary>
    Disable = 0,

    /// <summary>TLS required; the server certificate is not checked.</summary>
    Require = 1,

    /// <summary>TLS required; the certificate must chain to the endpoint's CA (or the system's) and name the host.</summary>
    VerifyFull = 2,
}
