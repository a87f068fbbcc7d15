using System.Text.RegularExpressions;

namespace Tenants.Edge.Endpoints;

/// <summary>The shape of an endpoint id: <c>^[a-z0-9][a-z0-9-]{0,62}$</c> (a DNS label, so it can head a server name).</summary>
internal static partial class EndpointId
{
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
