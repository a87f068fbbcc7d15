using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Tenants.Abstractions.Tenancy;
using Tenants.Edge.Endpoints;

namespace Tenants.Edge.Tests.Endpoints;

/// <summary>The grain-backed catalog over a real in-process Orleans cluster whose directory grains are stand-ins.</summary>
public sealed class GrainEndpointCatalogTests : IAsyncLifetime
{
    private readonly EndpointDirectoryStandIn _directory = new();
    private readonly FakeTimeProvider _time = new();
    private readonly EdgeOptions _options = new()
    {
        Directory = new EdgeDirectoryOptions { CacheTtl = TimeSpan.FromSeconds(5), NegativeCacheTtl = TimeSpan.FromSeconds(2), LookupTimeout = TimeSpan.FromSeconds(30) },
    };

    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.Services.AddSingleton(_directory));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        _directory.Hang?.TrySetResult();
        await _cluster.DisposeAsync();
    }

    private GrainEndpointCatalog Catalog(TimeProvider? time = null) =>
        new(_cluster.Client, new StaticMonitor(_options), time ?? _time, NullLogger<GrainEndpointCatalog>.Instance);

    [Fact]
    public async Task FindAsync_Endpoint_IsReusedForTheCacheTime_ThenReadAgain()
    {
        _directory.Endpoints["shop"] = EndpointDirectoryStandIn.Endpoint("shop");
        var catalog = Catalog();

        var first = await catalog.FindAsync("shop", default);
        _directory.Endpoints["shop"] = EndpointDirectoryStandIn.Endpoint("shop", enabled: false);
        _time.Advance(TimeSpan.FromSeconds(4));
        var cached = await catalog.FindAsync("shop", default);
        _time.Advance(TimeSpan.FromSeconds(1));
        var fresh = await catalog.FindAsync("shop", default);

        Assert.True(first!.Enabled);
        Assert.True(cached!.Enabled);
        Assert.False(fresh!.Enabled);
        Assert.Equal(2, _directory.Calls);
    }

    [Fact]
    public async Task FindAsync_UnknownId_IsRememberedForTheShorterTime()
    {
        var catalog = Catalog();

        var before = await catalog.FindAsync("new-db", default);
        _directory.Endpoints["new-db"] = EndpointDirectoryStandIn.Endpoint("new-db");
        var cached = await catalog.FindAsync("new-db", default);
        _time.Advance(TimeSpan.FromSeconds(2));
        var after = await catalog.FindAsync("new-db", default);

        Assert.Null(before);
        Assert.Null(cached);
        Assert.Equal("tenant-b", after!.TenantId);
    }

    [Fact]
    public async Task FindAsync_DeletedEndpoint_IsUnknown()
    {
        _directory.Endpoints["gone"] = EndpointDirectoryStandIn.Endpoint("gone", enabled: false, deleted: true);

        Assert.Null(await Catalog().FindAsync("gone", default));
    }

    [Fact]
    public async Task FindAsync_StringThatCannotBeAnId_AsksNobody()
    {
        Assert.Null(await Catalog().FindAsync("corp.example", default));
        Assert.Equal(0, _directory.Calls);
    }

    [Fact]
    public async Task FindAsync_DirectoryFails_SaysTheDirectoryIsUnavailable()
    {
        _directory.Failing = true;

        var error = await Assert.ThrowsAsync<EndpointCatalogUnavailableException>(() => Catalog().FindAsync("shop", default).AsTask());

        Assert.Equal("the endpoint directory is unavailable", error.Message);
    }

    [Fact]
    public async Task FindAsync_DirectoryHangs_GivesUpAfterTheLookupTimeout()
    {
        _directory.Hang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _options.Directory.LookupTimeout = TimeSpan.FromMilliseconds(200);

        var error = await Assert.ThrowsAsync<EndpointCatalogUnavailableException>(() => Catalog(TimeProvider.System).FindAsync("shop", default).AsTask());

        Assert.Equal("the endpoint directory did not answer in time", error.Message);
    }

    [Fact]
    public void ToOptions_CarriesEverySettingTheEdgeUses()
    {
        var record = EndpointDirectoryStandIn.Endpoint("shop") with
        {
            Settings = new EndpointSettings
            {
                Id = "shop",
                UpstreamHost = "db.internal",
                UpstreamPort = 6543,
                DefaultDatabase = "app",
                TlsMode = EndpointTlsMode.VerifyFull,
                CaCertificatePem = "-----BEGIN CERTIFICATE-----",
                MaxConnections = 7,
                AllowReplication = true,
                Durability = new EndpointDurability { Read = AuditDurability.Async, Other = AuditDurability.Sequenced },
            },
        };

        var options = GrainEndpointCatalog.ToOptions(record);
        var defaults = GrainEndpointCatalog.ToOptions(EndpointDirectoryStandIn.Endpoint("plain"));

        Assert.Equal(("shop", "tenant-b", "db.internal", 6543, "app"), (options.Id, options.TenantId, options.UpstreamHost, options.UpstreamPort, options.DefaultDatabase));
        Assert.Equal((UpstreamSslMode.VerifyFull, "-----BEGIN CERTIFICATE-----", 7, true), (options.UpstreamSslMode, options.UpstreamCaCertificatePem, options.MaxConnections, options.AllowReplication));
        Assert.Equal((DurabilityMode.Async, DurabilityMode.Durable, DurabilityMode.Sequenced), (options.Durability.Read, options.Durability.Write, options.Durability.Other));
        Assert.Equal(0, options.Port);
        var expected = new EndpointDurabilityOptions();
        Assert.Equal(
            (expected.Read, expected.Write, expected.Ddl, expected.Dcl, expected.Tcl, expected.Other),
            (defaults.Durability.Read, defaults.Durability.Write, defaults.Durability.Ddl, defaults.Durability.Dcl, defaults.Durability.Tcl, defaults.Durability.Other));
    }

    private sealed class StaticMonitor(EdgeOptions value) : IOptionsMonitor<EdgeOptions>
    {
        public EdgeOptions CurrentValue => value;

        public EdgeOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<EdgeOptions, string?> listener) => null;
    }
}
