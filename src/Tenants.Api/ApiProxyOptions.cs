using System.ComponentModel.DataAnnotations;

namespace Tenants.Api;

/// <summary>
/// Where clients reach the edge proxy, as the API prints it in endpoint addresses and connection strings. Every value
/// is optional: without one the API takes the edge's own settings (<c>Edge:ListenAddress</c>, <c>Edge:Port</c>,
/// <c>Edge:Tls</c>) from the same configuration, which is right for the embedded node and wrong behind a load balancer.
/// </summary>
public sealed class ApiProxyOptions
{
    public const string SectionName = "Api:Proxy";

    /// <summary>The public host name or address of the proxy (default: <c>Edge:ListenAddress</c>, or the machine name when that is a wildcard).</summary>
    [MaxLength(253)]
    public string? Host { get; set; }

    /// <summary>The public port of the proxy (default: <c>Edge:Port</c>, else 6432).</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>
    /// The proxy domain clients reach endpoints under as <c>&lt;endpoint-id&gt;.&lt;domain&gt;</c> (TLS SNI names the
    /// endpoint). Default: <c>Edge:Tls:Domain</c> when <c>Edge:Tls:Certificates</c> holds a certificate for it; otherwise
    /// none, and connection strings name the endpoint with <c>options=endpoint=&lt;id&gt;</c>.
    /// </summary>
    [MaxLength(200)]
    public string? Domain { get; set; }

    /// <summary>Whether clients should use TLS (<c>sslmode=require</c>); default: <c>Edge:Tls:Enabled</c> (true).</summary>
    public bool? Tls { get; set; }
}
