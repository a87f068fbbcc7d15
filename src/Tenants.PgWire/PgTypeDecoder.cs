using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Tenants.PgWire;

/// <summary>
/// Renders a parameter value as text for the audit trail: text-format values as they are; binary values of common
/// types (by OID) as PostgreSQL would print them; anything else as <c>base64:</c> followed by the bytes in base64.
/// </summary>
public static class PgTypeDecoder
{
    private const string Base64Prefix = "base64:";
    private static readonly DateTime PostgresEpoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Type names of the OIDs decoded, for display.</summary>
    public static string? TypeName(uint oid) => oid switch
    {
        16 => "bool",
        17 => "bytea",
        20 => "int8",
        21 => "int2",
        23 => "int4",
        25 => "text",
        26 => "oid",
        700 => "float4",
        701 => "float8",
        1042 => "bpchar",
        1043 => "varchar",
        1082 => "date",
        1114 => "timestamp",
        1184 => "timestamptz",
        1700 => "numeric",
        2950 => "uuid",
        114 => "json",
        3802 => "jsonb",
        19 => "name",
        _ => null,
    };

    public static string Format(uint oid, short format, ReadOnlySpan<byte> value)
    {
        if (format == 0)
        {
            return Encoding.UTF8.GetString(value);
        }

        try
        {
            return DecodeBinary(oid, value) ?? Base64Prefix + Convert.ToBase64String(value);
        }
        catch (ArgumentException)
        {
            return Base64Prefix + Convert.ToBase64String(value);
        }
    }

    private static string? DecodeBinary(uint oid, ReadOnlySpan<byte> v) => oid switch
    {
        16 when v.Length == 1 => v[0] != 0 ? "true" : "false",
        21 when v.Length == 2 => BinaryPrimitives.ReadInt16BigEndian(v).ToString(CultureInfo.InvariantCulture),
        23 when v.Length == 4 => BinaryPrimitives.ReadInt32BigEndian(v).ToString(CultureInfo.InvariantCulture),
        26 when v.Length == 4 => BinaryPrimitives.ReadUInt32BigEndian(v).ToString(CultureInfo.InvariantCulture),
        20 when v.Length == 8 => BinaryPrimitives.ReadInt64BigEndian(v).ToString(CultureInfo.InvariantCulture),
        700 when v.Length == 4 => BinaryPrimitives.ReadSingleBigEndian(v).ToString("R", CultureInfo.InvariantCulture),
        701 when v.Length == 8 => BinaryPrimitives.ReadDoubleBigEndian(v).ToString("R", CultureInfo.InvariantCulture),
        25 or 1042 or 1043 or 19 or 114 => Encoding.UTF8.GetString(v),
        3802 when v.Length >= 1 && v[0] == 1 => Encoding.UTF8.GetString(v[1..]),
        17 => "\\x" + Convert.ToHexStringLower(v),
        2950 when v.Length == 16 => new Guid(v, bigEndian: true).ToString(),
        1082 when v.Length == 4 => Date(BinaryPrimitives.ReadInt32BigEndian(v)),
        1114 when v.Length == 8 => Timestamp(BinaryPrimitives.ReadInt64BigEndian(v), utc: false),
        1184 when v.Length == 8 => Timestamp(BinaryPrimitives.ReadInt64BigEndian(v), utc: true),
        1700 => Numeric(v),
        _ => null,
    };

    private static string Date(int days) => days switch
    {
        int.MaxValue => "infinity",
        int.MinValue => "-infinity",
        _ => PostgresEpoch.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    private static string Timestamp(long microseconds, bool utc) => microseconds switch
    {
        long.MaxValue => "infinity",
        long.MinValue => "-infinity",
        _ => PostgresEpoch.AddTicks(microseconds * 10).ToString(utc ? "yyyy-MM-dd HH:mm:ss.ffffff'+00'" : "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
    };

    /// <summary>numeric: ndigits, weight, sign, dscale, then base-10000 digits.</summary>
    private static string? Numeric(ReadOnlySpan<byte> v)
    {
        if (v.Length < 8)
        {
            return null;
        }

        var digitCount = BinaryPrimitives.ReadInt16BigEndian(v);
        var weight = BinaryPrimitives.ReadInt16BigEndian(v[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(v[4..]);
        var scale = BinaryPrimitives.ReadInt16BigEndian(v[6..]);
        switch (sign)
        {
            case 0xC000: return "NaN";
            case 0xD000: return "Infinity";
            case 0xF000: return "-Infinity";
        }

        if (digitCount < 0 || v.Length != 8 + (digitCount * 2) || sign is not (0x0000 or 0x4000))
        {
            return null;
        }

        var value = BigInteger.Zero;
        for (var i = 0; i < digitCount; i++)
        {
            value = (value * 10000) + BinaryPrimitives.ReadInt16BigEndian(v[(8 + (i * 2))..]);
        }

        // value * 10000^(weight - digitCount + 1), shown with `scale` decimals.
        var exponent = 4 * (weight - digitCount + 1);
        var digits = exponent >= 0 ? value * BigInteger.Pow(10, exponent) * BigInteger.Pow(10, scale) : value * BigInteger.Pow(10, scale) / BigInteger.Pow(10, -exponent);
        var text = BigInteger.Abs(digits).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var result = scale > 0 ? $"{text[..^scale]}.{text[^scale..]}" : text;
        return (sign == 0x4000 && digits != 0 ? "-" : string.Empty) + result;
    }
}
