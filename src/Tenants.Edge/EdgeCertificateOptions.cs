using System.ComponentModel.DataAnnotations;

namespace Tenants.Edge;

/// <summary>One proxy domain's certificate.</summary>
public sealed class EdgeCertificateOptions
{
    /// <summary>The proxy domain the certificate serves (its endpoints are <c>&lt;id&gt;.&lt;domain&gt;</c>).</summary>
    [Required]
    public string Domain { get; set; } = string.Empty;

    /// <summary>PEM file with the certificate (and any intermediates).</summary>
    [Required]
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>PEM file with the private key.</summary>
    [Required]
    public string KeyPath { get; set; } = string.Empty;
}
