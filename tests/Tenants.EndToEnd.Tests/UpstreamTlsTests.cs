using Npgsql;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>TLS between the proxy and the endpoint's database, and what it means for SCRAM channel binding.</summary>
[Collection(PlatformCollection.Name)]
public sealed class UpstreamTlsTests(PlatformFixture platform)
{
    private string Psql => Path.Combine(platform.Upstream.BinDirectory, "psql");

    [Fact]
    public async Task Psql_EndpointWithVerifyFull_ReachesTheServerOverTls()
    {
        // Plaintext to the proxy (a client on a trusted network), TLS from the proxy to the database: libpq then
        // claims no channel binding, and passthrough SCRAM works against the TLS server.
        var uri = $"postgresql://postgres:{Uri.EscapeDataString(platform.Upstream.Password)}@127.0.0.1:{platform.ProxyPort}/app?options=endpoint%3D{PlatformFixture.TlsEndpoint}&sslmode=disable";

        var (exitCode, output) = await ProcessRunner.RunAsync(Psql, [uri, "-X", "-A", "-t", "-c", "select ssl from pg_stat_ssl where pid = pg_backend_pid()"], false, TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, output);
        Assert.Equal("t", output.Trim());
    }

    [Fact]
    public async Task Npgsql_ChannelBindingPreferredAgainstATlsServer_GetsTheProxysHint()
    {
        await using var connection = new NpgsqlConnection(platform.EndpointConnectionString(PlatformFixture.TlsEndpoint));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Contains("channel binding", refused.MessageText);
        Assert.Contains("channel_binding=disable", refused.Hint);
    }

    [Fact]
    public async Task Npgsql_EndpointWhoseCaDoesNotMatch_IsRefusedWith08001()
    {
        await using var connection = new NpgsqlConnection(platform.EndpointConnectionString(PlatformFixture.WrongCaEndpoint));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Equal("08001", refused.SqlState);
        Assert.Contains($"could not connect to the database of endpoint '{PlatformFixture.WrongCaEndpoint}'", refused.MessageText);
    }

    [Fact]
    public async Task Psql_TlsBothSidesWithChannelBindingPreferred_IsToldHowToConnect()
    {
        var uri = $"postgresql://postgres:{Uri.EscapeDataString(platform.Upstream.Password)}@127.0.0.1:{platform.ProxyPort}/app?options=endpoint%3D{PlatformFixture.TlsEndpoint}&sslmode=require";

        var (exitCode, output) = await ProcessRunner.RunAsync(Psql, [uri, "-X", "-c", "select 1"], false, TimeSpan.FromSeconds(30));
        var (plainExit, plainOutput) = await ProcessRunner.RunAsync(Psql, [uri + "&channel_binding=disable", "-X", "-A", "-t", "-c", "select 'bound'"], false, TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("channel_binding=disable", output);
        Assert.True(plainExit == 0, plainOutput);
        Assert.Equal("bound", plainOutput.Trim());
    }
}
