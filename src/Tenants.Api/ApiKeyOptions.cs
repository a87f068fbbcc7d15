using System.ComponentModel.DataAnnotations;

namespace Tenants.Api;

/// <summary>One API key. The key itself is a secret: supply it through the environment, not a committed file.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The bearer token clients send (<c>Authorization: Bearer &lt;key&gt;</c>); at least 24 characters.</summary>
    [Required]
    [MinLength(24)]
    public string Key { get; set; } = string.Empty;

    /// <summary>The tenant the key acts for.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,62}$")]
    public string TenantId { get; set; } = string.Empty;
}
