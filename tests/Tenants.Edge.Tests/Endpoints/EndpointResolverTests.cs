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
    public void Resolve_OptionsMark_FindsEndpointAndDropsEmptyOptions()
    {
        var result = Resolver().Resolve(Startup(("user", "alice"), ("options", "endpoint=shop"), ("database", "d")), 6432);

        Assert.True(result.Succeeded);
        Assert.Equal("shop", result.Endpoint!.Id);
        Assert.Equal([KeyValuePair.Create("user", "alice"), KeyValuePair.Create("database", "d")], result.UpstreamParameters);
    }

    [Fact]
    public void Resolve_OptionsMarkAmongOtherOptions_KeepsTheOthersVerbatim()
    {
        var result = Resolver().Resolve(Startup(("user", "alice"), ("options", "-c search_path=a\\ b endpoint=shop -c work_mem=64MB")), 6432);

        Assert.True(result.Succeeded);
        Assert.Equal("-c search_path=a\\ b -c work_mem=64MB", result.UpstreamParameters.Single(p => p.Key == "options").Value);
    }

    [Fact]
    public void Resolve_UserSuffix_StripsItFromTheUser()
    {
        var result = Resolver().Resolve(Startup(("user", "alice@shop")), 6432);

        Assert.Equal("shop", result.Endpoint!.Id);
        Assert.Equal("alice", result.UpstreamParameters.Single(p => p.Key == "user").Value);
    }

    [Fact]
    public void Resolve_UserWithAtThatIsNoEndpoint_IsLeftAlone()
    {
        var result = Resolver().Resolve(Startup(("user", "bob@corp.example"), ("options", "endpoint=shop")), 6432);

        Assert.True(result.Succeeded);
        Assert.Equal("bob@corp.example", result.UpstreamParameters.Single(p => p.Key == "user").Value);
    }

    [Fact]
    public void Resolve_DedicatedPort_NeedsNoMark()
    {
        var result = Resolver().Resolve(Startup(("user", "alice")), 7001);

        Assert.Equal("crm", result.Endpoint!.Id);
    }

    [Fact]
    public void Resolve_MarksThatDisagree_AreRefused()
    {
        var result = Resolver().Resolve(Startup(("user", "alice@crm"), ("options", "endpoint=shop")), 6432);

        Assert.False(result.Succeeded);
        Assert.Equal(PostgresErrorCodes.SqlServerRejectedEstablishmentOfSqlConnection, result.SqlState);
        Assert.Contains("more than one endpoint", result.Message);
    }

    [Fact]
    public void Resolve_MarksThatAgree_AreAccepted()
    {
        var result = Resolver().Resolve(Startup(("user", "alice@crm"), ("options", "endpoint=crm")), 7001);

        Assert.Equal("crm", result.Endpoint!.Id);
    }

    [Fact]
    public void Resolve_NoMark_TellsHowToNameOne()
    {
        var result = Resolver().Resolve(Startup(("user", "alice")), 6432);

        Assert.Equal(PostgresErrorCodes.SqlServerRejectedEstablishmentOfSqlConnection, result.SqlState);
        Assert.Contains("options=endpoint=", result.Hint);
    }

    [Fact]
    public void Resolve_UnknownEndpoint_SaysSo()
    {
        var result = Resolver().Resolve(Startup(("user", "alice"), ("options", "endpoint=nope")), 6432);

        Assert.Equal("endpoint 'nope' does not exist", result.Message);
    }

    [Fact]
    public void Resolve_DisabledEndpoint_IsRefusedWith28000()
    {
        var result = Resolver().Resolve(Startup(("user", "alice"), ("options", "endpoint=old")), 6432);

        Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, result.SqlState);
        Assert.Contains("disabled", result.Message);
    }

    private sealed class StaticMonitor(EdgeOptions value) : IOptionsMonitor<EdgeOptions>
    {
        public EdgeOptions CurrentValue => value;

        public EdgeOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<EdgeOptions, string?> listener) => null;
    }
}
