using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Tenants.Edge.Tls;

/// <summary>
/// The server certificates of the edge, one per proxy domain, chosen by the client's TLS server name. Loaded once at
/// start; without configured certificates, a self-signed one is made for the configured domain.
/// </summary>
internal sealed class EdgeCertificates : IDisposable
{
    private readonly List<(string Domain, X509Certificate2 Certificate)> _certificates = [];

    public EdgeCertificates(IOptions<EdgeOptions> options)
    {
        var tls = options.Value.Tls;
        foreach (var configured in tls.Certificates)
        {
            using var pem = X509Certificate2.CreateFromPemFile(configured.CertificatePath, configured.KeyPath);
            _certificates.Add((configured.Domain.ToLowerInvariant(), Reload(pem)));
        }

        if (_certificates.Count == 0)
        {
            _certificates.Add((tls.Domain.ToLowerInvariant(), CreateSelfSigned(tls.Domain)));
        }
    }

    /// <summary>The certificate for a server name: the domain itself or any name under it; else the first one.</summary>
    public X509Certificate2 Select(string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName))
        {
            var name = serverName.ToLowerInvariant();
            foreach (var (domain, certificate) in _certificates)
            {
                if (name == domain || name.EndsWith("." + domain, StringComparison.Ordinal))
                {
                    return certificate;
                }
            }
        }

        return _certificates[0].Certificate;
    }

    public void Dispose()
    {
        foreach (var (_, certificate) in _certificates)
        {
            certificate.Dispose();
        }
    }

    private static X509Certificate2 CreateSelfSigned(string domain)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={domain}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        names.AddDnsName("*." + domain);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        return Reload(certificate);
    }

    // SslStream on Linux wants a certificate whose key came from a PKCS#12 import, not an ephemeral one.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
}
