using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Tenants.Edge.Tls;

/// <summary>
/// The server certificates of the edge, one per proxy domain, chosen by the client's TLS server name, each sent with
/// the intermediates of its PEM file. Loaded at start, and again whenever the files change (checked every
/// <see cref="EdgeTlsOptions.CertificateCheckInterval"/>), so a renewed certificate is served without a restart; files
/// that do not load leave the current certificates in place. Without configured certificates, a self-signed one is
/// made for the configured domain.
/// </summary>
internal sealed partial class EdgeCertificates : IDisposable
{
    private readonly EdgeTlsOptions _tls;
    private readonly ILogger<EdgeCertificates> _logger;
    private readonly ITimer? _timer;
    private readonly Lock _lock = new();

    // Replaced certificates stay alive (a handshake may still hold one) until the edge stops: renewals are rare.
    private readonly List<X509Certificate2> _owned = [];
    private volatile Loaded _current;

    public EdgeCertificates(IOptions<EdgeOptions> options, TimeProvider? time = null, ILogger<EdgeCertificates>? logger = null)
    {
        _tls = options.Value.Tls;
        _logger = logger ?? NullLogger<EdgeCertificates>.Instance;
        if (_tls.Certificates.Count == 0)
        {
            _current = new Loaded([(_tls.Domain.ToLowerInvariant(), Context(CreateSelfSigned(_tls.Domain), []))], []);
            return;
        }

        _current = Load(ReadFiles());
        if (_tls.CertificateCheckInterval > TimeSpan.Zero)
        {
            _timer = (time ?? TimeProvider.System).CreateTimer(_ => CheckForChanges(), null, _tls.CertificateCheckInterval, _tls.CertificateCheckInterval);
        }
    }

    /// <summary>
    /// The certificate, with its intermediates, for a server name: the domain's for the domain itself or any name under
    /// it; else the first one.
    /// </summary>
    public SslStreamCertificateContext Select(string? serverName)
    {
        var certificates = _current.Certificates;
        if (!string.IsNullOrEmpty(serverName))
        {
            var name = serverName.ToLowerInvariant();
            foreach (var (domain, context) in certificates)
            {
                if (name == domain || name.EndsWith("." + domain, StringComparison.Ordinal))
                {
                    return context;
                }
            }
        }

        return certificates[0].Context;
    }

    /// <summary>Reloads the certificates if their files changed since they were loaded; keeps them if the new files do not load.</summary>
    internal void CheckForChanges()
    {
        lock (_lock)
        {
            try
            {
                var files = ReadFiles();
                if (files.Fingerprint.AsSpan().SequenceEqual(_current.Fingerprint))
                {
                    return;
                }

                _current = Load(files);
                LogCertificatesReloaded(string.Join(", ", _tls.Certificates.Select(c => c.Domain)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                LogCertificatesNotReloaded(ex);
            }
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            foreach (var certificate in _owned)
            {
                certificate.Dispose();
            }
        }
    }

    private Files ReadFiles()
    {
        var contents = _tls.Certificates
            .Select(c => (Certificate: File.ReadAllText(c.CertificatePath), Key: string.IsNullOrWhiteSpace(c.KeyPath) ? null : File.ReadAllText(c.KeyPath)))
            .ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (certificate, key) in contents)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(certificate + "\0" + key + "\0"));
        }

        return new Files(contents, hash.GetHashAndReset());
    }

    private Loaded Load(Files files)
    {
        var certificates = new List<(string, SslStreamCertificateContext)>();
        var owned = new List<X509Certificate2>();
        try
        {
            for (var i = 0; i < files.Contents.Count; i++)
            {
                var (certificatePem, keyPem) = files.Contents[i];
                using var pem = X509Certificate2.CreateFromPem(certificatePem, keyPem ?? certificatePem);
                var chain = new X509Certificate2Collection();
                chain.ImportFromPem(certificatePem);
                owned.AddRange(chain);
                // What a client needs besides the certificate: the intermediates, not a root it must already trust.
                var intermediates = new X509Certificate2Collection(chain.Where(c => c.Thumbprint != pem.Thumbprint && !IsSelfIssued(c)).ToArray());
                var certificate = Reload(pem);
                owned.Add(certificate);
                certificates.Add((_tls.Certificates[i].Domain.ToLowerInvariant(), Context(certificate, intermediates)));
            }
        }
        catch
        {
            owned.ForEach(c => c.Dispose());
            throw;
        }

        lock (_lock)
        {
            _owned.AddRange(owned);
        }

        return new Loaded(certificates, files.Fingerprint);
    }

    // offline: the chain is what the file holds; nothing is fetched.
    private static SslStreamCertificateContext Context(X509Certificate2 certificate, X509Certificate2Collection intermediates) =>
        SslStreamCertificateContext.Create(certificate, intermediates, offline: true);

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

    [LoggerMessage(EventId = 1500, EventName = "CertificatesReloaded", Level = LogLevel.Information,
        Message = "TLS certificates reloaded from changed files (domains: {Domains})")]
    private partial void LogCertificatesReloaded(string domains);

    [LoggerMessage(EventId = 1501, EventName = "CertificatesNotReloaded", Level = LogLevel.Warning,
        Message = "TLS certificate files changed but do not load; still serving the certificates loaded before")]
    private partial void LogCertificatesNotReloaded(Exception exception);

    private sealed record Files(List<(string Certificate, string? Key)> Contents, byte[] Fingerprint);

    private sealed record Loaded(List<(string Domain, SslStreamCertificateContext Context)> Certificates, byte[] Fingerprint);
}
