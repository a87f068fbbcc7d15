using Microsoft.Extensions.Options;

namespace Tenants.Edge.Endpoints;

/// <summary>Looks endpoints up by id or dedicated port. Reads the current options, so changes apply to new sessions.</summary>
public sealed class EndpointDirectory(IOptionsMonitor<EdgeOptions> options)
{
    public EdgeEndpointOptions? Find(string id) =>
        options.CurrentValue.Endpoints.Find(e => string.Equals(e.Id, id, StringComparison.Ordinal));

    /// <summary>The proxy domain: endpoints are <c>&lt;id&gt;.&lt;domain&gt;</c> in TLS server names.</summary>
    public string ProxyDomain => options.CurrentValue.Tls.Domain;

    public EdgeEndpointOptions? FindByPort(int port) =>
        port == 0 ? null : options.CurrentValue.Endpoints.Find(e => e.Port == port);
}
