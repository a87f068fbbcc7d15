namespace Tenants.Edge;

/// <summary>TLS termination at the edge.</summary>
public sealed class EdgeTlsOptions
{
    /// <summary>Answer SSLRequest with 'S' and accept direct TLS (PostgreSQL 17). Off: SSLRequest gets 'N'.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The proxy domain: an endpoint is reached as <c>&lt;endpoint-id&gt;.&lt;domain&gt;</c>, and the TLS server name
    /// (SNI) in that form names the endpoint.
    /// </summary>
    public string Domain { get; set; } = "localhost";

    /// <summary>
    /// Certificates per proxy domain (PEM certificate chain and key). The one whose domain matches the client's
    /// server name (exactly or as a wildcard parent) is used; with none configured, the edge makes a self-signed
    /// certificate for <see cref="Domain"/>, <c>*.Domain</c>, <c>localhost</c> and <c>127.0.0.1</c> at start (fine
    /// for <c>sslmode=require</c>, not for <c>verify-full</c>).
    /// </summary>
    public List<EdgeCertificateOptions> Certificates { get; set; } = [];

    /// <summary>
    /// How often the certificate files are checked for changes; changed files are loaded and served to new connections
    /// (a renewal needs no restart). Zero: never (the files are read at start only).
    /// </summary>
    public TimeSpan CertificateCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}
