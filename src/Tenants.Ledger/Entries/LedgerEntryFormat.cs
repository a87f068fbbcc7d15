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
}
