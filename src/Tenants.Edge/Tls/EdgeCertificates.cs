using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Tenants.Edge.Tls;

/// <summary>
/// The server certificates of the edge, one per proxy domain, chosen by the client's TLS server name, each sent with
/// the intermediates of its PEM file. Loaded once at start; without configured certificates, a self-signed one is made
/// for the configured domain.
/// </summary>
internal sealed class EdgeCertificates : IDisposable
{
    private readonly List<(string Domain, SslStreamCertificateContext Context)> _certificates = [];
    private readonly List<X509Certificate2> _owned = [];

    public EdgeCertificates(IOptions<EdgeOptions> options)
    {
        var tls = options.Value.Tls;
        foreach (var configured in tls.Certificates)
        {
            var keyPath = string.IsNullOrWhiteSpace(configured.KeyPath) ? configured.CertificatePath : configured.KeyPath;
            using var pem = X509Certificate2.CreateFromPemFile(configured.CertificatePath, keyPath);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(configured.CertificatePath);
            _owned.AddRange(chain);
            // What a client needs besides the certificate: the intermediates, not a root it must already trust.
            var intermediates = new X509Certificate2Collection(chain.Where(c => c.Thumbprint != pem.Thumbprint && !IsSelfIssued(c)).ToArray());
            Add(configured.Domain, Reload(pem), intermediates);
        }

        if (_certificates.Count == 0)
        {
            Add(tls.Domain, CreateSelfSigned(tls.Domain), []);
        }
    }

    /// <summary>
    /// The certificate, with its intermediates, for a server name: the domain's for the domain itself or any name under
    /// it; else the first one.
    /// </summary>
    public SslStreamCertificateContext Select(string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName))
        {
            var name = serverName.ToLowerInvariant();
            foreach (var (domain, context) in _certificates)
            {
                if (name == domain || name.EndsWith("." + domain, StringComparison.Ordinal))
                {
                    return context;
                }
            }
        }

        return _certificates[0].Context;
    }

    public void Dispose()
    {
        foreach (var certificate in _owned)
        {
            certificate.Dispose();
        }
    }

    private void Add(string domain, X509Certificate2 certificate, X509Certificate2Collection intermediates)
    {
        _owned.Add(certificate);
        // offline: the chain is what the file holds; nothing is fetched at start.
        _certificates.Add((domain.ToLowerInvariant(), SslStreamCertificateContext.Create(certificate, intermediates, offline: true)));
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

    private static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    // SslStream on Linux wants a certificate whose key came from a PKCS#12 import, not an ephemeral one.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
}
