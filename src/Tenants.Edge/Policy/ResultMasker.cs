using System.Text;
using Tenants.Policy.Rules;

namespace Tenants.Edge.Policy;

/// <summary>
/// Masks one value of a result column. Text-like types (text, varchar, bpchar, name) are masked as text whatever
/// the format, since their binary form is the same UTF-8; every other type becomes NULL, since a marker or a hash
/// would not be a valid value of it and would break the client's decoder.
/// </summary>
internal static class ResultMasker
{
    /// <summary>What <see cref="MaskKind.Redact"/> puts in place of a text value.</summary>
    public const string RedactedText = "***";

    private const int PartialKeep = 2;

    /// <summary>True for the types whose values are UTF-8 text in both formats: name, text, bpchar, varchar.</summary>
    public static bool IsTextLike(uint typeOid) => typeOid is 19 or 25 or 1042 or 1043;

    /// <summary>The value to send in place of <paramref name="value"/> (null: SQL NULL; a NULL stays NULL).</summary>
    public static byte[]? Mask(MaskKind kind, uint typeOid, byte[]? value, ReadOnlySpan<byte> salt)
    {
        if (value is null || !IsTextLike(typeOid))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(value);
        var masked = kind switch
        {
            MaskKind.Partial => Partial(text),
            MaskKind.Hash => ValueHasher.Hash(salt, text),
            _ => RedactedText,
        };
        return Encoding.UTF8.GetBytes(masked);
    }

    /// <summary>The first two and last two characters kept, the rest starred; four characters or fewer are all starred.</summary>
    public static string Partial(string text)
    {
        var runes = text.EnumerateRunes().ToArray();
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < runes.Length; i++)
        {
            var keep = runes.Length > 2 * PartialKeep && (i < PartialKeep || i >= runes.Length - PartialKeep);
            if (keep)
            {
                builder.Append(runes[i].ToString());
            }
            else
            {
                builder.Append('*');
            }
        }

        return builder.ToString();
    }
}
