using Tenants.Grains.Index;

namespace Tenants.Grains.Tests.Index;

public sealed class LedgerIndexRowsTests
{
    [Theory]
    [InlineData("10.0.0.7:50312", "10.0.0.7")]
    [InlineData("[::1]:5432", "::1")]
    [InlineData("::1", "::1")]
    [InlineData("unix-socket", "unix-socket")]
    [InlineData(null, null)]
    public void ClientHost_RecordedAddress_DropsOnlyThePort(string? address, string? host) =>
        Assert.Equal(host, LedgerIndexRows.ClientHost(address));
}
