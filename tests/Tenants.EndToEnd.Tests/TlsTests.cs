using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using Npgsql;
using Tenants.PgWire;
using Tenants.PgWire.Backend;
using Tenants.PgWire.Frontend;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>TLS between client and proxy: SSLRequest, PostgreSQL 17 direct TLS, SNI naming the endpoint.</summary>
[Collection(PlatformCollection.Name)]
public sealed class TlsTests(PlatformFixture platform)
{
    private string Psql => Path.Combine(platform.Upstream.BinDirectory, "psql");

    [Fact]
    public async Task Psql_SslModeRequire_ConnectsOverTlsAndTheEventSaysSo()
    {
        var marker = $"select 'tls_{Guid.NewGuid():N}'";
        var uri = platform.ProxyUri(PlatformFixture.TenantA) + "&sslmode=require";

        var (exitCode, output) = await ProcessRunner.RunAsync(Psql, [uri, "-X", "-c", marker], false, TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, output);
        var statement = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("sql").GetString() == marker);
        Assert.StartsWith("Tls1", statement.GetProperty("tlsProtocol").GetString());
        Assert.False(string.IsNullOrEmpty(statement.GetProperty("tlsCipher").GetString()));
    }

    [Fact]
    public async Task Psql_ServerNameOfTheEndpoint_RoutesWithoutAnyOtherMark()
    {
        var marker = $"select 'sni_{Guid.NewGuid():N}'";
        var conninfo = $"host={PlatformFixture.TenantB}-db.localhost hostaddr=127.0.0.1 port={platform.ProxyPort} sslmode=require user=postgres dbname=app password={platform.Upstream.Password}";

        var (exitCode, output) = await ProcessRunner.RunAsync(Psql, [conninfo, "-X", "-c", marker], false, TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, output);
        var statement = await platform.WaitForEventAsync(PlatformFixture.TenantB, e => e.GetProperty("sql").GetString() == marker);
        Assert.Equal($"{PlatformFixture.TenantB}-db.localhost", statement.GetProperty("serverName").GetString());
        Assert.Equal($"{PlatformFixture.TenantB}-db", statement.GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task Npgsql_TlsWithScram_LogsInThroughTheProxy()
    {
        var marker = $"npgsql_tls_{Guid.NewGuid():N}";
        var builder = new NpgsqlConnectionStringBuilder(platform.ProxyConnectionString(PlatformFixture.TenantA)) { SslMode = SslMode.Require };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"select 'over tls' as {marker}", connection);
            Assert.Equal("over tls", await command.ExecuteScalarAsync());
        }

        var statement = await platform.WaitForEventAsync(PlatformFixture.TenantA, e => e.GetProperty("sql").GetString()?.Contains(marker, StringComparison.Ordinal) == true);
        Assert.StartsWith("Tls1", statement.GetProperty("tlsProtocol").GetString());
    }

    [Fact]
    public async Task DirectTls_WithAlpnAndServerName_ReachesTheResolverOverTls()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", platform.ProxyPort);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "no-such-endpoint.localhost",
            ApplicationProtocols = [new SslApplicationProtocol("postgresql")],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => IsProxyDevelopmentCertificate(certificate),
        });

        var startup = new ArrayBufferWriter<byte>();
        StartupMessageWriter.Write(startup, ProtocolCodes.Version30, [KeyValuePair.Create("user", "postgres"), KeyValuePair.Create("database", "app")]);
        await tls.WriteAsync(startup.WrittenMemory);
        var reply = await ReadAllAsync(tls);

        Assert.Equal(BackendMessageCode.ErrorResponse, reply[0]);
        Assert.True(ErrorResponseMessage.TryParse(new ReadOnlySequence<byte>(reply, 5, reply.Length - 5), out var error));
        Assert.Equal("endpoint 'no-such-endpoint' does not exist", error.Message);
    }

    [Fact]
    public async Task DirectTls_WithoutAlpn_IsRefused()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", platform.ProxyPort);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));

        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => IsProxyDevelopmentCertificate(certificate),
        });

        // Either the handshake fails or the proxy closes right after it: no PostgreSQL session without ALPN.
        try
        {
            await handshake;
            Assert.Empty(await ReadAllAsync(tls));
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
        {
        }
    }

    // Without configured certificates the edge makes a self-signed one for its domain (localhost here).
    private static bool IsProxyDevelopmentCertificate(System.Security.Cryptography.X509Certificates.X509Certificate? certificate) =>
        certificate?.Subject == "CN=localhost";

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var all = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return all.ToArray();
    }
}
