using System.Globalization;

namespace Tenants.Ledger.Entries;

/// <summary>Names and formats shared by the entry writer and reader.</summary>
internal static class LedgerEntryFormat
{
    public const int Version = 1;
    public const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    public static ReadOnlySpan<byte> VersionName => "v"u8;

    public static ReadOnlySpan<byte> OriginName => "origin"u8;

    public static ReadOnlySpan<byte> TenantName => "tenant"u8;

    public static ReadOnlySpan<byte> IndexName => "index"u8;

    public static ReadOnlySpan<byte> TimeName => "time"u8;

    public static ReadOnlySpan<byte> KindName => "kind"u8;

    public static ReadOnlySpan<byte> EventName => "event"u8;

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static bool TryParseTime(string text, out DateTimeOffset time)
    {
        if (DateTime.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            time = new DateTimeOffset(utc, TimeSpan.Zero);
            return true;
        }

        time = default;
        return false;
    }

    /// <summary>
    /// Whether <paramref name="text"/> (UTF-8) is a time <see cref="TryParseTime"/> accepts, without allocating:
    /// <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> with every field in range.
    /// </summary>
    public static bool IsTime(ReadOnlySpan<byte> text)
    {
        if (text.Length != 27 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || text[19] != '.' || text[26] != 'Z')
        {
            return false;
        }

        if (!Digits(text[..4], out var year) || !Digits(text.Slice(5, 2), out var month) || !Digits(text.Slice(8, 2), out var day)
            || !Digits(text.Slice(11, 2), out var hour) || !Digits(text.Slice(14, 2), out var minute)
            || !Digits(text.Slice(17, 2), out var second) || !Digits(text.Slice(20, 6), out _))
        {
            return false;
        }

        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && hour < 24 && minute < 60 && second < 60;
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
