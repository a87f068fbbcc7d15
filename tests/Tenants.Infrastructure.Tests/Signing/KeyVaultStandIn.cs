using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tenants.Infrastructure.Signing;

namespace Tenants.Infrastructure.Tests.Signing;

/// <summary>
/// A stand-in for Azure Key Vault's keys REST API (api-version 7.5), since Key Vault cannot run here. It is an HTTPS
/// server on Kestrel in the test process with a self-signed certificate, and implements the documented operations the
/// signer uses with a real ECDSA key per key version: the 401 bearer challenge, get key, list key versions and sign
/// (ES256 over a SHA-256 digest, answered as base64url raw r||s). It records every request, and can be told to refuse
/// signing (403) or to throttle the next signs (429 with Retry-After). Clients reach it under the vault host name
/// <see cref="VaultHost"/>: <see cref="CreateClientOptions"/> connects that name to the stand-in's port and pins its
/// certificate.
/// </summary>
public sealed partial class KeyVaultStandIn : IAsyncDisposable
{
    public const string VaultHost = "tenants-test.vault.azure.net";
    public const string TenantId = "5f1c7a2e-0b3d-4c8e-9a61-2d7e4b9f0c13";

    private readonly ConcurrentDictionary<string, List<StandInKeyVersion>> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly X509Certificate2 _certificate;
    private WebApplication? _app;
    private int _throttleRemaining;
    private long _created = 1_700_000_000;

    private KeyVaultStandIn(X509Certificate2 certificate)
    {
        _certificate = certificate;
    }

    public Uri VaultUri { get; } = new($"https://{VaultHost}/");

    public int Port { get; private set; }

    /// <summary>The <c>resource</c> the 401 challenge names.</summary>
    public string Resource { get; set; } = "https://vault.azure.net";

    /// <summary>The <c>authorization</c> URI the 401 challenge names (its first path segment is the tenant).</summary>
    public string Authorization { get; set; } = $"https://login.microsoftonline.com/{TenantId}";

    /// <summary>Answer signs with 403 Forbidden, as when the identity lacks the sign permission.</summary>
    public bool DenySign { get; set; }

    /// <summary>Versions per page when listing key versions; smaller than the number of versions exercises nextLink.</summary>
    public int VersionsPageSize { get; set; } = 2;

    /// <summary>Seconds in the Retry-After of throttled answers.</summary>
    public int RetryAfterSeconds { get; private set; }

    public ConcurrentQueue<StandInRequest> Requests { get; } = new();

    /// <summary>Sign requests the stand-in answered with a signature.</summary>
    public int SignaturesMade => Requests.Count(r => r.Operation == "sign" && r.Status == 200);

    public static async Task<KeyVaultStandIn> StartAsync()
    {
        var standIn = new KeyVaultStandIn(CreateCertificate());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(standIn._certificate)));
        var app = builder.Build();
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        standIn.Port = new Uri(address).Port;
        standIn._app = app;
        return standIn;
    }

    /// <summary>Creates a new version of key <paramref name="name"/> (the current one from then on) and returns its id.</summary>
    public string AddKeyVersion(string name, string curve = "P-256")
    {
        var ecCurve = curve switch
        {
            "P-256" => ECCurve.NamedCurves.nistP256,
            "P-384" => ECCurve.NamedCurves.nistP384,
            _ => throw new ArgumentOutOfRangeException(nameof(curve)),
        };
        var version = Guid.NewGuid().ToString("N");
        var versions = _keys.GetOrAdd(name, _ => []);
        lock (versions)
        {
            versions.Add(new StandInKeyVersion(version, curve, ECDsa.Create(ecCurve), Interlocked.Increment(ref _created)));
        }

        return version;
    }

    /// <summary>Disables a version: it can no longer be read or used, and lists as disabled.</summary>
    public void DisableVersion(string name, string version) => Find(name, version)!.Enabled = false;

    /// <summary>The DER SubjectPublicKeyInfo of a version, taken from the stand-in's own key (not from its JWK).</summary>
    public byte[] SubjectPublicKeyInfo(string name, string version) => Find(name, version)!.Key.ExportSubjectPublicKeyInfo();

    /// <summary>Answers the next <paramref name="count"/> sign requests with 429 and <c>Retry-After: seconds</c>.</summary>
    public void ThrottleNextSigns(int count, int retryAfterSeconds)
    {
        RetryAfterSeconds = retryAfterSeconds;
        Volatile.Write(ref _throttleRemaining, count);
    }

    /// <summary>
    /// Pipeline options that reach the stand-in under <see cref="VaultHost"/> (whatever host a URI names, the connection
    /// goes to the stand-in's port), trust only its certificate, and retry after 10 ms unless Retry-After asks for more.
    /// </summary>
    public KeyVaultClientOptions CreateClientOptions(int maxRetries = 3)
    {
        var pinned = _certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == pinned;
        var options = new KeyVaultClientOptions { Transport = new HttpClientTransport(handler) };
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        foreach (var version in _keys.Values.SelectMany(v => v))
        {
            version.Key.Dispose();
        }

        _certificate.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={VaultHost}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(VaultHost);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Re-imported from PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private StandInKeyVersion? Find(string name, string? version)
    {
        if (!_keys.TryGetValue(name, out var versions))
        {
            return null;
        }

        lock (versions)
        {
            return version is null ? versions.LastOrDefault(v => v.Enabled) : versions.FirstOrDefault(v => v.Version == version);
        }
    }

    private static long Now() => Stopwatch.GetTimestamp();
}
