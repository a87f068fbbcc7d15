using System.ComponentModel.DataAnnotations;

namespace Tenants.Edge;

/// <summary>One proxy domain's certificate.</summary>
public sealed class EdgeCertificateOptions
{
    /// <summary>The proxy domain the certificate serves (its endpoints are <c>&lt;id&gt;.&lt;domain&gt;</c>).</summary>
    [Required]
    public string Domain { get; set; } = string.Empty;

    /// <summary>
    /// PEM file with the certificate, then its intermediates (sent to clients with it, so they need only the root). It may
    /// also hold the private key, as a Key Vault certificate's PEM secret does.
    /// </summary>
    [Required]
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>PEM file with the private key; empty when <see cref="CertificatePath"/> holds it.</summary>
    public string KeyPath { get; set; } = string.Empty;
}
