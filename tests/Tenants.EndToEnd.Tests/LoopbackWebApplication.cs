using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Tenants.EndToEnd.Tests;

/// <summary>A small web server of a test's own (a receiver the Host calls), on a free loopback port.</summary>
internal static class LoopbackWebApplication
{
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The test folder holds the Host's appsettings.json, whose Kestrel endpoint would win over the free port.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder;
    }
}
