using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tenants.Edge.Tls;

namespace Tenants.Edge.Tests.Tls;

/// <summary>
/// The edge's certificates as a client sees them in the TLS handshake: a CA-issued certificate is sent with the
/// intermediates of its PEM file (a client trusting only the root validates it), the key may be in the same file (a Key
/// Vault certificate's PEM secret), the server name picks the domain's certificate, and renewed files are served
/// without a restart.
/// </summary>
public sealed class EdgeCertificatesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tenants-edge-certs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Handshake_CertificateIssuedByAnIntermediate_ClientTrustingOnlyTheRootValidatesIt()
    {
        using var pki = TestPki.Create("db.example.test");
        var bundle = Path.Combine(_folder, "edge.pem");
        // As Key Vault writes a PEM certificate secret: the key, the certificate, then the chain.
        await File.WriteAllTextAsync(bundle, pki.LeafKeyPem + pki.Leaf.ExportCertificatePem() + "\n" + pki.Intermediate.ExportCertificatePem() + "\n");
        using var certificates = Certificates(("db.example.test", bundle, ""));

        var seen = await HandshakeAsync(certificates, "orders.db.example.test");

        Assert.Equal(pki.Leaf.Thumbprint, seen.Leaf.Thumbprint);
        Assert.True(TestPki.ValidatesAgainst(seen.Leaf, seen.Sent, pki.Root), "a client that trusts only the root could not build the chain from what the edge sent");
    }

    [Fact]
    public async Task Handshake_SeparateKeyFileAndTwoDomains_TheServerNamePicksTheDomainsCertificate()
    {
        using var first = TestPki.Create("a.example.test");
        using var second = TestPki.Create("b.example.test");
        var firstPath = Path.Combine(_folder, "a.pem");
        var firstKey = Path.Combine(_folder, "a.key");
        var secondPath = Path.Combine(_folder, "b.pem");
        await File.WriteAllTextAsync(firstPath, first.Leaf.ExportCertificatePem() + "\n" + first.Intermediate.ExportCertificatePem());
        await File.WriteAllTextAsync(firstKey, first.LeafKeyPem);
        await File.WriteAllTextAsync(secondPath, second.LeafKeyPem + second.Leaf.ExportCertificatePem());
        using var certificates = Certificates(("a.example.test", firstPath, firstKey), ("b.example.test", secondPath, ""));

        var forSecond = await HandshakeAsync(certificates, "x.b.example.test");
        var forFirst = await HandshakeAsync(certificates, "y.a.example.test");
        var forNone = await HandshakeAsync(certificates, "unknown.test");

        Assert.Equal(second.Leaf.Thumbprint, forSecond.Leaf.Thumbprint);
        Assert.Equal(first.Leaf.Thumbprint, forFirst.Leaf.Thumbprint);
        Assert.Equal(first.Leaf.Thumbprint, forNone.Leaf.Thumbprint);
        Assert.False(TestPki.ValidatesAgainst(forSecond.Leaf, forSecond.Sent, second.Root), "without its intermediate in the file the chain cannot be built from the root alone");
    }

    [Fact]
    public async Task RenewedFiles_AreServedToTheNextConnection_AndFilesThatDoNotLoadKeepTheCurrentCertificate()
    {
        using var first = TestPki.Create("db.example.test");
        using var renewed = TestPki.Create("db.example.test");
        var bundle = Path.Combine(_folder, "edge.pem");
        await File.WriteAllTextAsync(bundle, first.LeafKeyPem + first.Leaf.ExportCertificatePem());
        using var certificates = Certificates(("db.example.test", bundle, ""));
        var before = await HandshakeAsync(certificates, "orders.db.example.test");

        await File.WriteAllTextAsync(bundle, renewed.LeafKeyPem + renewed.Leaf.ExportCertificatePem() + "\n" + renewed.Intermediate.ExportCertificatePem());
        certificates.CheckForChanges();
        var after = await HandshakeAsync(certificates, "orders.db.example.test");
        await File.WriteAllTextAsync(bundle, "-----BEGIN CERTIFICATE-----\nhalf a certificate");
        certificates.CheckForChanges();
        var afterBrokenFile = await HandshakeAsync(certificates, "orders.db.example.test");

        Assert.Equal(first.Leaf.Thumbprint, before.Leaf.Thumbprint);
        Assert.Equal(renewed.Leaf.Thumbprint, after.Leaf.Thumbprint);
        Assert.True(TestPki.ValidatesAgainst(after.Leaf, after.Sent, renewed.Root), "the renewed certificate came without its intermediate");
        Assert.Equal(renewed.Leaf.Thumbprint, afterBrokenFile.Leaf.Thumbprint);
    }

    [Fact]
    public async Task RenewedFiles_AfterTheCheckInterval_AreServedWithoutAnyCall()
    {
        using var first = TestPki.Create("db.example.test");
        using var renewed = TestPki.Create("db.example.test");
        var bundle = Path.Combine(_folder, "edge.pem");
        await File.WriteAllTextAsync(bundle, first.LeafKeyPem + first.Leaf.ExportCertificatePem());
        var time = new FakeTimeProvider();
        var options = new EdgeOptions();
        options.Tls.Certificates.Add(new EdgeCertificateOptions { Domain = "db.example.test", CertificatePath = bundle });
        using var certificates = new EdgeCertificates(Options.Create(options), time);

        await File.WriteAllTextAsync(bundle, renewed.LeafKeyPem + renewed.Leaf.ExportCertificatePem());
        var beforeTheCheck = await HandshakeAsync(certificates, "db.example.test");
        time.Advance(options.Tls.CertificateCheckInterval);
        var afterTheCheck = await HandshakeAsync(certificates, "db.example.test");

        Assert.Equal(first.Leaf.Thumbprint, beforeTheCheck.Leaf.Thumbprint);
        Assert.Equal(renewed.Leaf.Thumbprint, afterTheCheck.Leaf.Thumbprint);
    }

    private static EdgeCertificates Certificates(params (string Domain, string CertificatePath, string KeyPath)[] configured)
    {
        var options = new EdgeOptions();
        options.Tls.Certificates.AddRange(configured.Select(c => new EdgeCertificateOptions { Domain = c.Domain, CertificatePath = c.CertificatePath, KeyPath = c.KeyPath }));
        return new EdgeCertificates(Options.Create(options));
    }

    // A TLS handshake over loopback TCP with ClientTransport's server options; what the client received.
    private static async Task<(X509Certificate2 Leaf, X509Certificate2Collection Sent)> HandshakeAsync(EdgeCertificates certificates, string serverName)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();
        await using var serverStream = new SslStream(accepted.GetStream());
        X509Certificate2? leaf = null;
        var sent = new X509Certificate2Collection();
        await using var clientStream = new SslStream(client.GetStream(), false, (_, certificate, chain, _) =>
        {
            leaf = new X509Certificate2(certificate!);
            sent.AddRange(chain!.ChainPolicy.ExtraStore);
            // Accept to see what was sent; the tests validate it themselves against their own root (TestPki.ValidatesAgainst).
            return certificate is not null;
        });

        var serverSide = serverStream.AuthenticateAsServerAsync(
            (_, hello, _, _) => ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = certificates.Select(hello.ServerName) }), null);
        await clientStream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName });
        await serverSide;
        return (leaf!, sent);
    }
}
