using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tenants.Edge.Tests.Tls;

/// <summary>A root CA, an intermediate CA and a server certificate for <c>*.domain</c>, made in memory for a test.</summary>
internal sealed class TestPki : IDisposable
{
    private TestPki(X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2 leaf, string leafKeyPem)
    {
        Root = root;
        Intermediate = intermediate;
        Leaf = leaf;
        LeafKeyPem = leafKeyPem;
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public X509Certificate2 Leaf { get; }

    /// <summary>The server certificate's private key, PKCS#8 PEM.</summary>
    public string LeafKeyPem { get; }

    public static TestPki Create(string domain)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest($"CN=Test Root {domain}", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest($"CN=Test Intermediate {domain}", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var intermediatePublic = intermediateRequest.Create(root, now.AddDays(-1), now.AddYears(1), [1, 2, 3, 4]);
        var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN=*.{domain}", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        names.AddDnsName("*." + domain);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var leaf = leafRequest.Create(intermediate, now.AddDays(-1), now.AddMonths(6), [5, 6, 7, 8]);
        return new TestPki(root, intermediate, leaf, leafKey.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>Whether <paramref name="leaf"/> chains to <paramref name="root"/> using only <paramref name="sent"/> besides it.</summary>
    public static bool ValidatesAgainst(X509Certificate2 leaf, X509Certificate2Collection sent, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ExtraStore.AddRange(sent);
        return chain.Build(leaf);
    }

    public void Dispose()
    {
        Leaf.Dispose();
        Intermediate.Dispose();
        Root.Dispose();
    }
}
