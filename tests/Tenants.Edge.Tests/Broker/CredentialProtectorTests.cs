using Tenants.Abstractions.Secrets;

namespace Tenants.Edge.Tests.Broker;

/// <summary>
/// The sealing of stored database passwords (Tenants.Abstractions has no test project of its own; the edge is where
/// sealed passwords are opened).
/// </summary>
public sealed class CredentialProtectorTests
{
    private static readonly string Context = CredentialProtector.EndpointContext("tenant-a", "shop");

    [Fact]
    public void Seal_ThenOpen_GivesThePassword_AndTheSealedFormNamesTheKeyButNotThePassword()
    {
        var protector = new CredentialProtector([CredentialProtector.NewKey()]);

        var sealedPassword = protector.Seal("pässword", Context);

        Assert.True(CredentialProtector.LooksSealed(sealedPassword));
        Assert.StartsWith($"v1.{protector.SealingKeyId}.", sealedPassword, StringComparison.Ordinal);
        Assert.DoesNotContain("ssword", sealedPassword, StringComparison.Ordinal);
        Assert.NotEqual(sealedPassword, protector.Seal("pässword", Context));
        Assert.Equal("pässword", protector.Open(sealedPassword, Context));
    }

    [Fact]
    public void Open_AnotherEndpointsOrAlteredValue_OrOneOfAnUnknownKey_FailsSayingWhy()
    {
        var protector = new CredentialProtector([CredentialProtector.NewKey()]);
        var stranger = new CredentialProtector([CredentialProtector.NewKey()]);
        var sealedPassword = protector.Seal("pw", Context);
        var altered = sealedPassword[..^2] + (sealedPassword.EndsWith("AA", StringComparison.Ordinal) ? "BA" : "AA");

        var otherEndpoint = Assert.Throws<CredentialUnavailableException>(() => protector.Open(sealedPassword, CredentialProtector.EndpointContext("tenant-b", "shop")));
        var tampered = Assert.Throws<CredentialUnavailableException>(() => protector.Open(altered, Context));
        var unknownKey = Assert.Throws<CredentialUnavailableException>(() => stranger.Open(sealedPassword, Context));
        var clear = Assert.Throws<CredentialUnavailableException>(() => protector.Open("pw", Context));

        Assert.Equal("the stored credential does not open: it was altered, or sealed for another endpoint", otherEndpoint.Message);
        Assert.Equal(otherEndpoint.Message, tampered.Message);
        Assert.Equal($"the stored credential was sealed with key {protector.SealingKeyId}, which this node does not have", unknownKey.Message);
        Assert.Equal("the stored credential is not a sealed value", clear.Message);
    }

    [Fact]
    public void Rotation_TheNewKeySeals_AndTheOldStillOpens()
    {
        var oldKey = CredentialProtector.NewKey();
        var before = new CredentialProtector([oldKey]).Seal("pw", Context);
        var rotated = new CredentialProtector([CredentialProtector.NewKey(), oldKey]);

        Assert.Equal("pw", rotated.Open(before, Context));
        Assert.StartsWith($"v1.{rotated.SealingKeyId}.", rotated.Seal("pw", Context), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new CredentialProtector([new byte[16]]));
    }
}
