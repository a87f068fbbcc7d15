using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Tenants.Edge.Proxy;

namespace Tenants.Edge.Hosting;

/// <summary>Adds the PostgreSQL listeners to Kestrel: the shared port and one per endpoint that has its own.</summary>
internal sealed class EdgeKestrelSetup(IOptions<EdgeOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var settings = options.Value;
        var address = IPAddress.Parse(settings.ListenAddress);
        kestrel.Listen(address, settings.Port, listen => listen.UseConnectionHandler<PgProxyConnectionHandler>());
        foreach (var endpoint in settings.Endpoints.Where(e => e.Port != 0))
        {
            kestrel.Listen(address, endpoint.Port, listen => listen.UseConnectionHandler<PgProxyConnectionHandler>());
        }
    }
}
