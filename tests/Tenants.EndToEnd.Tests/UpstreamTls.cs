using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>Turns TLS on in a running test server with a fresh self-signed certificate for 127.0.0.1.</summary>
internal static class UpstreamTls
{
    public static async Task<(string CaPath, string WrongCaPath)> EnableAsync(PostgresServer server, string folder)
    {
        Directory.CreateDirectory(folder);
        var certificatePath = Path.Combine(folder, "server.crt");
        var keyPath = Path.Combine(folder, "server.key");
        var wrongCaPath = Path.Combine(folder, "wrong-ca.crt");
        WriteSelfSigned(certificatePath, keyPath);
        WriteSelfSigned(wrongCaPath, keyPath: null);

        // The server reads the files as its own OS user and wants the key private to it.
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (ProcessRunner.MustDropRoot)
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            var (exitCode, output) = await ProcessRunner.RunAsync("chown", [$"{ProcessRunner.PostgresOsUser}:", certificatePath, keyPath], false, TimeSpan.FromSeconds(10));
            Assert.True(exitCode == 0, output);
        }

        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            $"alter system set ssl_cert_file = '{certificatePath}'",
            $"alter system set ssl_key_file = '{keyPath}'",
            "alter system set ssl = on",
            "select pg_reload_conf()",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        // A reload applies asynchronously: wait until a new TLS connection succeeds.
        var probe = new NpgsqlConnectionStringBuilder(server.ConnectionString) { SslMode = SslMode.Require, Pooling = false }.ConnectionString;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                await using var tls = new NpgsqlConnection(probe);
                await tls.OpenAsync();
                return (certificatePath, wrongCaPath);
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static void WriteSelfSigned(string certificatePath, string? keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=upstream.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        if (keyPath is not null)
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }
    }
}
