namespace Tenants.Host.Portal;

/// <summary>Where the Host finds the web portal's built files (<c>ui/dist</c>, or <c>wwwroot</c> in the image).</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>
    /// The folder holding <c>index.html</c> and <c>assets/</c>. Relative paths are from the content root. Unset: the
    /// content root's <c>wwwroot</c>; when neither exists the Host serves the API alone and says so at start.
    /// </summary>
    public string? Root { get; set; }
}
