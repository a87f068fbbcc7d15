namespace Tenants.Edge;

/// <summary>How the edge secures its connection to an endpoint's database (libpq's sslmode, server side of the proxy).</summary>
public enum UpstreamSslMode
{
    /// <summary>Plaintext (a trusted network, or a database on the same host).</summary>
    Disable,

    /// <summary>TLS required; the server certificate is not checked.</summary>
    Require,

    /// <summary>TLS required; the certificate must chain to the configured CA (or the system's) and name the host.</summary>
    VerifyFull,
}
