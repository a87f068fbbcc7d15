using System.Text;
using Tenants.Edge.Policy;
using Tenants.Policy.Rules;

namespace Tenants.Edge.Tests.Policy;

public sealed class ResultMaskerTests
{
    private static readonly byte[] Salt = new byte[32];

    [Theory]
    [InlineData("", "")]
    [InlineData("abcd", "****")]
    [InlineData("abcde", "ab*de")]
    [InlineData("0123456789", "01******89")]
    [InlineData("😀😀x😀😀", "😀😀*😀😀")]
    public void Partial_KeepsTwoLeadingAndTwoTrailingCharacters_ShorterValuesAllStarred(string value, string expected) =>
        Assert.Equal(expected, ResultMasker.Partial(value));

    [Theory]
    [InlineData(25u)]
    [InlineData(1043u)]
    [InlineData(1042u)]
    [InlineData(19u)]
    public void TextLikeTypes_AreMaskedAsText(uint type)
    {
        var value = Encoding.UTF8.GetBytes("secret value");

        Assert.Equal("***", Encoding.UTF8.GetString(ResultMasker.Mask(MaskKind.Redact, type, value, Salt)!));
        Assert.Equal("se********ue", Encoding.UTF8.GetString(ResultMasker.Mask(MaskKind.Partial, type, value, Salt)!));
        Assert.Equal(ValueHasher.Hash(Salt, "secret value"), Encoding.UTF8.GetString(ResultMasker.Mask(MaskKind.Hash, type, value, Salt)!));
    }

    [Theory]
    [InlineData(MaskKind.Redact)]
    [InlineData(MaskKind.Partial)]
    [InlineData(MaskKind.Hash)]
    public void OtherTypes_BecomeNull_AndNullStaysNull(MaskKind kind)
    {
        Assert.Null(ResultMasker.Mask(kind, 23, [0, 0, 0, 42], Salt));
        Assert.Null(ResultMasker.Mask(kind, 25, null, Salt));
    }

    [Theory]
    [InlineData("users", "'users'")]
    [InlineData("o'brien", "'o''brien'")]
    [InlineData(@"a\'); drop table users; --", @"E'a\\''); drop table users; --'")]
    public void CatalogLiterals_AreQuotedForAnySettingOfStandardConformingStrings(string name, string literal) =>
        Assert.Equal(literal, ColumnResolver.Literal(name));

    [Fact]
    public void Lookup_AskedByNameOnly_AndAComputedColumnNeverMatches()
    {
        var resolver = new ColumnResolver();
        resolver.Want([new ColumnMask("audit", "users", "email", MaskKind.Redact, "r")]);

        Assert.Contains("('users', 'email')", resolver.BeginLookup(), StringComparison.Ordinal);
        Assert.Null(resolver.Lookup(0, 0, [new ColumnMask(null, "users", "email", MaskKind.Redact, "r")]));
    }
}
