using System.Net;
using System.Net.Sockets;

namespace Tenants.Abstractions.Webhooks;

/// <summary>
/// The SSRF guard for webhook receivers, shared by the API (when a webhook is added) and the silo (on every delivery,
/// against the addresses it is about to connect to). Link-local, metadata, unspecified, multicast and broadcast
/// addresses are always refused; loopback, private, CGNAT and unique-local ones only unless allowed
/// (<c>Webhooks:AllowPrivateAddresses</c>). Plain http is accepted only for allowed private addresses.
/// </summary>
public static class WebhookAddressRules
{
    /// <summary>The longest URL accepted.</summary>
    public const int MaxUrlLength = 2048;

    private static readonly IPAddress[] Metadata =
    [
        IPAddress.Parse("fd00:ec2::254"), // AWS IMDS over IPv6
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud metadata
        IPAddress.Parse("168.63.129.16"), // Azure WireServer
    ];

    /// <summary>Checks the form of a URL (scheme, no credentials, no fragment); null when acceptable.</summary>
    public static string? CheckUrl(string? url, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength)
        {
            return $"url must be an absolute https URL of at most {MaxUrlLength} characters";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.HostNameType == UriHostNameType.Unknown || parsed.IsFile || parsed.IsUnc)
        {
            return "url must be an absolute https URL";
        }

        if (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
        {
            return $"url must use https (not {parsed.Scheme}:)";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "url must not carry a user name or password";
        }

        if (parsed.Fragment.Length > 0)
        {
            return "url must not have a fragment";
        }

        uri = parsed;
        return null;
    }

    /// <summary>
    /// Checks the addresses a receiver's host resolves to (all of them: DNS can answer with any); null when every one
    /// may be connected to with the URL's scheme.
    /// </summary>
    public static string? CheckAddresses(Uri uri, IReadOnlyList<IPAddress> addresses, bool allowPrivate)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Count == 0)
        {
            return $"the host {uri.Host} has no address";
        }

        foreach (var address in addresses)
        {
            switch (Classify(address))
            {
                case WebhookAddressClass.Forbidden:
                    return $"the host {uri.Host} resolves to {address}, a link-local, metadata or reserved address, which webhooks may not reach";
                case WebhookAddressClass.Private when !allowPrivate:
                    return $"the host {uri.Host} resolves to {address}, a loopback or private address, which webhooks may not reach here (Webhooks:AllowPrivateAddresses)";
                case WebhookAddressClass.Public when uri.Scheme != Uri.UriSchemeHttps:
                    return "url must use https; plain http is accepted only for loopback and private addresses";
            }
        }

        return null;
    }

    /// <summary>Resolves the URL's host (an address literal as itself).</summary>
    public static async Task<IReadOnlyList<IPAddress>> ResolveAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What kind of address this is for the guard.</summary>
    public static WebhookAddressClass Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (Metadata.Any(address.Equals))
        {
            return WebhookAddressClass.Forbidden;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => WebhookAddressClass.Forbidden, // "this network", 0.0.0.0
                169 when b[1] == 254 => WebhookAddressClass.Forbidden, // link-local, cloud metadata
                >= 224 => WebhookAddressClass.Forbidden, // multicast, reserved, broadcast
                127 or 10 => WebhookAddressClass.Private,
                172 when b[1] is >= 16 and <= 31 => WebhookAddressClass.Private,
                192 when b[1] == 168 => WebhookAddressClass.Private,
                100 when b[1] is >= 64 and <= 127 => WebhookAddressClass.Private, // carrier-grade NAT
                _ => WebhookAddressClass.Public,
            };
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6
            || address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
        {
            return WebhookAddressClass.Forbidden;
        }

        if (address.Equals(IPAddress.IPv6Loopback) || address.IsIPv6UniqueLocal)
        {
            return WebhookAddressClass.Private;
        }

        return WebhookAddressClass.Public;
    }
}
