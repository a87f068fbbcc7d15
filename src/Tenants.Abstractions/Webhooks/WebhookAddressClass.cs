namespace Tenants.Abstractions.Webhooks;

/// <summary>How the webhook SSRF guard treats an address.</summary>
public enum WebhookAddressClass
{
    /// <summary>A public address: allowed over https.</summary>
    Public,

    /// <summary>Loopback, private, CGNAT or unique-local: allowed only with <c>Webhooks:AllowPrivateAddresses</c>.</summary>
    Private,

    /// <summary>Link-local, cloud metadata, unspecified, multicast or reserved: never.</summary>
    Forbidden,
}
