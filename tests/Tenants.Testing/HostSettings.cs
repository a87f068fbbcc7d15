using System.Globalization;

namespace Tenants.Testing;

/// <summary>
/// Configuration for a test Host (<see cref="HostProcess"/>), in the environment form <c>Section__Key</c>: the
/// platform database, blob storage and signing key every Host needs, free ports of its own, then endpoints and API
/// keys as a test adds them.
/// </summary>
public sealed class HostSettings
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private int _endpoints;
    private int _apiKeys;

    public HostSettings(string platformDatabase, string blobConnectionString, string signingKeyFile)
    {
        ProxyPort = FreePort.Next();
        Set("ConnectionStrings__Postgres", platformDatabase);
        Set("Ledger__Blob__ConnectionString", blobConnectionString);
        Set("Ledger__Signing__KeyFile", signingKeyFile);
        Set("Secrets__CredentialKeyFile", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(signingKeyFile))!, "credential-keys"));
        Set("Cluster__SiloPort", Port(FreePort.Next()));
        Set("Cluster__GatewayPort", Port(FreePort.Next()));
        Set("Edge__Port", Port(ProxyPort));
        Set("Edge__Audit__SpoolPath", Path.Combine(Path.GetTempPath(), $"tenants-edge-spool-{Guid.NewGuid():N}"));
    }

    /// <summary>The shared PostgreSQL listener of the edge.</summary>
    public int ProxyPort { get; }

    public IReadOnlyDictionary<string, string> Values => _values;

    public HostSettings Set(string key, string value)
    {
        _values[key] = value;
        return this;
    }

    /// <summary>Adds an endpoint of <paramref name="tenant"/> on <paramref name="upstream"/>, with any further endpoint settings.</summary>
    public HostSettings AddEndpoint(string id, string tenant, PostgresServer upstream, params (string Key, string Value)[] extra)
    {
        var prefix = $"Edge__Endpoints__{_endpoints++}__";
        Set(prefix + "Id", id);
        Set(prefix + "TenantId", tenant);
        Set(prefix + "UpstreamHost", upstream.Host);
        Set(prefix + "UpstreamPort", Port(upstream.Port));
        foreach (var (key, value) in extra)
        {
            Set(prefix + key, value);
        }

        return this;
    }

    public HostSettings AddApiKey(string key, string tenant)
    {
        var prefix = $"Api__Keys__{_apiKeys++}__";
        Set(prefix + "Key", key);
        Set(prefix + "TenantId", tenant);
        return this;
    }

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
