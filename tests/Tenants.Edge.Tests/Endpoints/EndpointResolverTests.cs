using Microsoft.Extensions.Options;
using Tenants.Edge.Endpoints;
using Tenants.PgWire;
using Tenants.PgWire.Frontend;

namespace Tenants.Edge.Tests.Endpoints;

public sealed class EndpointResolverTests
{
    private static readonly EdgeOptions Options = new()
    {
        Endpoints =
        [
            new EdgeEndpointOptions { Id = "shop", TenantId = "acme", UpstreamHost = "db1" },
            new EdgeEndpointOptions { Id = "crm", TenantId = "acme", UpstreamHost = "db2", Port = 7001 },
            new EdgeEndpointOptions { Id = "old", TenantId = "acme", UpstreamHost = "db3", Enabled = false },
        ],
    };

    private static EndpointResolver Resolver() => new(new EndpointDirectory(new StaticMonitor(Options)));

    private static StartupPacket Startup(params (string, string)[] parameters) => new()
    {
        Kind = StartupPacketKind.Startup,
        ProtocolVersion = ProtocolCodes.Version30,
        Parameters = parameters.Select(p => KeyValuePair.Create(p.Item1, p.Item2)).ToList(),
    };

    [Fact]
    public async Task Resolve_OptionsMark_FindsEndpointAndDropsEmptyOptions()
    {
        var result = await Resolver().ResolveAsync(Startup(("user", "alice"), ("options", "endpoint=shop"), ("database", "d")), 6432);

        Assert.True(result.Succeeded);
        Assert.Equal("shop", result.Endpoint!.Id);
        Assert.Equal([KeyValuePair.Create("user", "alice"), KeyValuePair.Create("database", "d")], result.UpstreamParameters);
    }

    [Fact]
    public async Task Resolve_OptionsMarkAmongOtherOptions_KeepsTheOthersVerbatim()
    {
        var result = await Resolver().ResolveAsync(Startup(("user", "alice"), ("options", "-c search_path=a\\ b endpoint=shop -c work_mem=64MB")), 6432);

        Assert.True(result.Succeeded);
        Assert.Equal("-c search_path=a\\ b -c work_mem=64MB", result.UpstreamParameters.Single(p => p.Key == "options").Value);
    }

    [Fact]
    public async Task Resolve_UserSuffix_StripsItFromTheUser()
    {
        var result = await Resolver().ResolveAsync(Startup(("user", "alice@shop")), 6432);

        Assert.Equal("shop", result.Endpoint!.Id);
        Assert.Equal("alice", result.UpstreamParameters.Single(p => p.Key == "user").Value);
    }

    [Fact]
    public async Task Resolve_UserWithAtThatIsNoEndpoint_IsLeftAlone()
    {
        var result = await Resolver().ResolveAsync(Startup(("user", "bob@corp.example"), ("options", "endpoint=shop")), 6432);

        Assert.True(result.Succeeded);
        Assert.Equal("bob@corp.example", result.UpstreamParameters.Single(p => p.Key == "user").Value);
    }

    [Fact]
    public async Task Resolve_DedicatedPort_NeedsNoMark()
    {
        var result = await Resolver().ResolveAsync(Startup(("user", "alice")), 7001);

        Assert.Equal("crm", result.Endpoint!.Id);
    }

    [Fact]
    public async Task Resolve_MarksThatDisagree_AreRefused()
    {
        var result = await Resolver().ResolveAsync(Startup(("user", "alice@crm"), ("options", "endpoint=shop")), 6432);

        Assert.False(result.Succeeded);
        Assert.Equal(PostgresErrorCodes.SqlServerRejectedEstablishmentOfSqlConnection, result.SqlState);
        Assert.Contains("more than one endpoint", result.Message);
    }

    [Fact]
    public async Task Resolve_MarksThatAgree_AreAccepted()
    {
        var result = await Resolver().ResolveAsync(Startup(("user", "alice@crm"), ("options", "endpoint=crm")), 7001);

        Assert.Equal("crm", result.Endpoint!.Id);
    }

    [Fact]
    public async Task Resolve_NoMark_TellsHowToNameOne()
    {
        var result = await Resolver().ResolveAsync(Startup(("user", "alice")), 6432);

        Assert.Equal(PostgresErrorCodes.SqlServerRejectedEstablishmentOfSqlConnection, result.SqlState);
        Assert.Contains("options=endpoint=", result.Hint);
    }

    [Fact]
    public async Task Resolve_UnknownEndpoint_SaysSo()
    {
        var result = await Resolver().ResolveAsync(Startup(("user", "alice"), ("options", "endpoint=nope")), 6432);

        Assert.Equal("endpoint 'nope' does not exist", result.Message);
    }

    [Fact]
    public async Task Resolve_DisabledEndpoint_IsRefusedWith28000()
    {
        var result = await Resolver().ResolveAsync(Startup(("user", "alice"), ("options", "endpoint=old")), 6432);

        Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, result.SqlState);
        Assert.Contains("disabled", result.Message);
    }

    [Fact]
    public async Task Resolve_EndpointOnlyInTheCatalog_IsFoundByOptionsAndByUserSuffix()
    {
        var catalog = new DirectoryStandIn { ["billing"] = new EdgeEndpointOptions { Id = "billing", TenantId = "other", UpstreamHost = "db9" } };
        var resolver = new EndpointResolver(new EndpointDirectory(new StaticMonitor(Options), catalog));

        var byOptions = await resolver.ResolveAsync(Startup(("user", "alice"), ("options", "endpoint=billing")), 6432);
        var bySuffix = await resolver.ResolveAsync(Startup(("user", "alice@billing")), 6432);

        Assert.Equal("other", byOptions.Endpoint!.TenantId);
        Assert.Equal("billing", bySuffix.Endpoint!.Id);
        Assert.Equal("alice", bySuffix.UpstreamParameters.Single(p => p.Key == "user").Value);
    }

    [Fact]
    public async Task Resolve_IdInConfigurationAndCatalog_ConfigurationWins()
    {
        var catalog = new DirectoryStandIn { ["shop"] = new EdgeEndpointOptions { Id = "shop", TenantId = "other", UpstreamHost = "elsewhere" } };
        var resolver = new EndpointResolver(new EndpointDirectory(new StaticMonitor(Options), catalog));

        var result = await resolver.ResolveAsync(Startup(("user", "alice"), ("options", "endpoint=shop")), 6432);

        Assert.Equal("db1", result.Endpoint!.UpstreamHost);
        Assert.Equal(0, catalog.Lookups);
    }

    [Fact]
    public async Task Resolve_DirectoryUnreachable_IsRefusedWith57P03()
    {
        var resolver = new EndpointResolver(new EndpointDirectory(new StaticMonitor(Options), new DirectoryStandIn { Unreachable = true }));

        var result = await resolver.ResolveAsync(Startup(("user", "alice"), ("options", "endpoint=billing")), 6432);

        Assert.Equal(PostgresErrorCodes.CannotConnectNow, result.SqlState);
        Assert.Equal("the endpoint could not be looked up: the endpoint directory is unavailable", result.Message);
    }

    [Fact]
    public async Task Resolve_EndpointWithDefaultDatabase_AddsItOnlyWhenTheClientNamesNone()
    {
        var catalog = new DirectoryStandIn { ["billing"] = new EdgeEndpointOptions { Id = "billing", TenantId = "other", UpstreamHost = "db9", DefaultDatabase = "ledgerdb" } };
        var resolver = new EndpointResolver(new EndpointDirectory(new StaticMonitor(Options), catalog));

        var none = await resolver.ResolveAsync(Startup(("user", "alice"), ("options", "endpoint=billing")), 6432);
        var named = await resolver.ResolveAsync(Startup(("user", "alice"), ("database", "mine"), ("options", "endpoint=billing")), 6432);

        Assert.Equal("ledgerdb", none.UpstreamParameters.Single(p => p.Key == "database").Value);
        Assert.Equal("mine", named.UpstreamParameters.Single(p => p.Key == "database").Value);
    }

    /// <summary>
    /// A stand-in for the endpoint directory of an Orleans cluster (the grain-backed catalog runs against a real
    /// cluster in the end-to-end tests); it can play an unreachable cluster.
    /// </summary>
    private sealed class DirectoryStandIn : Dictionary<string, EdgeEndpointOptions>, IEndpointCatalog
    {
        public bool Unreachable { get; init; }

        public int Lookups { get; private set; }

        public ValueTask<EdgeEndpointOptions?> FindAsync(string id, CancellationToken cancellationToken)
        {
            Lookups++;
            return Unreachable
                ? throw new EndpointCatalogUnavailableException("the endpoint directory is unavailable")
                : ValueTask.FromResult(TryGetValue(id, out var endpoint) ? endpoint : null);
        }
    }

    private sealed class StaticMonitor(EdgeOptions value) : IOptionsMonitor<EdgeOptions>
    {
        public EdgeOptions CurrentValue => value;

        public EdgeOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<EdgeOptions, string?> listener) => null;
    }
}
