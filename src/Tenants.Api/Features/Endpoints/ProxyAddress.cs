using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Tenants.Api.Features.Endpoints;

/// <summary>
/// Where clients reach the proxy: <see cref="ApiProxyOptions"/>, filled in from the edge's settings in the same
/// configuration (the Api project does not reference the edge, so it reads the keys, not the edge's options type).
/// </summary>
internal sealed class ProxyAddress
{
    public ProxyAddress(IOptions<ApiProxyOptions> options, IConfiguration configuration)
    {
        var o = options.Value;
        var listen = configuration["Edge:ListenAddress"];
        Host = !string.IsNullOrWhiteSpace(o.Host) ? o.Host
            : string.IsNullOrWhiteSpace(listen) ? "127.0.0.1"
            : listen is "0.0.0.0" or "::" or "*" or "+" ? Environment.MachineName.ToLowerInvariant()
            : listen;
        Port = o.Port ?? (int.TryParse(configuration["Edge:Port"], out var port) && port > 0 ? port : 6432);
        Tls = o.Tls ?? !string.Equals(configuration["Edge:Tls:Enabled"], "false", StringComparison.OrdinalIgnoreCase);
        var edgeDomain = configuration["Edge:Tls:Domain"];
        var certified = !string.IsNullOrWhiteSpace(edgeDomain) && configuration.GetSection("Edge:Tls:Certificates").GetChildren()
            .Any(c => string.Equals(c["Domain"], edgeDomain, StringComparison.OrdinalIgnoreCase));
        Domain = !string.IsNullOrWhiteSpace(o.Domain) ? o.Domain.ToLowerInvariant() : certified ? edgeDomain!.ToLowerInvariant() : null;
    }

    public string Host { get; }

    public int Port { get; }

    public bool Tls { get; }

    /// <summary>The proxy domain with a certificate, or null: then the endpoint goes in <c>options</c>.</summary>
    public string? Domain { get; }
}
