using System.Security.Cryptography;
using System.Text;

namespace Tenants.Grains.Webhooks;

/// <summary>
/// The <c>X-Tenants-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;"&gt;</c>,
/// keyed with the webhook's secret (its UTF-8 bytes, as shown at creation).
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-Tenants-Signature";

    /// <summary>The header value for a body sent at <paramref name="time"/>.</summary>
    public static string Create(string secret, DateTimeOffset time, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var t = time.ToUnixTimeSeconds();
        var prefix = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{t}."));
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return FormattableString.Invariant($"t={t},v1={Convert.ToHexStringLower(mac)}");
    }
}
