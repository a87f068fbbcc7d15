using Microsoft.Extensions.Options;

namespace Tenants.Edge.Endpoints;

/// <summary>Looks endpoints up by id or dedicated port. Reads the current options, so changes apply to new sessions.</summary>
public sealed class EndpointDirectory(IOptionsMonitor<EdgeOptions> options)
{
    public EdgeEndpointOptions? Find(string id) =>
        options.CurrentValue.Endpoints.Find(e => string.Equals(e.Id, id, StringComparison.Ordinal));

    public EdgeEndpointOptions? FindByPort(int port) =>
        port == 0 ? null : options.CurrentValue.Endpoints.Find(e => e.Port == port);
}
