using System.Text;
using Tenants.Ledger.Merkle;

namespace Tenants.Ledger.Tests.Merkle;

public sealed class Rfc6962HasherTests
{
    [Fact]
    public void EmptyRoot_IsSha256OfNothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ReferenceTree.Hex(Rfc6962Hasher.EmptyRoot));
    }

    [Fact]
    public void HashLeaf_EmptyEntry_DiffersFromEmptyRoot()
    {
        var leaf = Rfc6962Hasher.HashLeaf([]);

        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", ReferenceTree.Hex(leaf));
        Assert.NotEqual(Rfc6962Hasher.EmptyRoot, leaf);
    }

    [Fact]
    public void HashLeaf_KnownVector_Matches()
    {
        Assert.Equal(
            "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56",
            ReferenceTree.Hex(Rfc6962Hasher.HashLeaf("L123456"u8)));
    }

    [Fact]
    public void HashChildren_KnownVector_Matches()
    {
        Assert.Equal(
            "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb",
            ReferenceTree.Hex(Rfc6962Hasher.HashChildren("N123"u8, "N456"u8)));
    }

    [Fact]
    public void HashChildren_ConcatenationPresentedAsLeaf_DoesNotCollide()
    {
        var left = Rfc6962Hasher.HashLeaf("a"u8);
        var right = Rfc6962Hasher.HashLeaf("b"u8);

        Assert.NotEqual(Rfc6962Hasher.HashChildren(left, right), Rfc6962Hasher.HashLeaf([.. left, .. right]));
    }

    [Fact]
    public void HashLeaf_LargeEntry_MatchesSmallPath()
    {
        var large = Encoding.UTF8.GetBytes(new string('x', 5000));
        Span<byte> destination = stackalloc byte[32];

        Rfc6962Hasher.HashLeaf(large, destination);

        Assert.Equal(Rfc6962Hasher.HashLeaf(large), destination.ToArray());
        Assert.Equal(System.Security.Cryptography.SHA256.HashData([0, .. large]), destination.ToArray());
    }

    [Fact]
    public void HashChildren_DestinationOverlapsInput_IsCorrect()
    {
        var left = Rfc6962Hasher.HashLeaf("l"u8);
        var right = Rfc6962Hasher.HashLeaf("r"u8);
        var expected = Rfc6962Hasher.HashChildren(left, right);

        Rfc6962Hasher.HashChildren(left, right, left);

        Assert.Equal(expected, left);
    }
}
