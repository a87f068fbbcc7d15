using System.Text;
using Tenants.PgWire;
using Tenants.PgWire.Frontend;

namespace Tenants.Edge.Endpoints;

/// <summary>
/// Finds the endpoint a client asked for, from a dedicated listener port, the TLS server name
/// <c>&lt;id&gt;.&lt;proxy-domain&gt;</c>, the startup parameter <c>options=endpoint=&lt;id&gt;</c> (Neon's form) and a
/// <c>user@&lt;id&gt;</c> suffix (Supavisor's form). Every mark
/// the proxy consumes is stripped before the startup message goes upstream; marks that disagree are refused.
/// </summary>
public sealed class EndpointResolver(EndpointDirectory directory)
{
    private const string HowToConnect =
        "Name the endpoint with options=endpoint=<endpoint-id> in the connection string, or connect as <user>@<endpoint-id>.";

    /// <summary>
    /// Resolves the connection's endpoint. A directory that cannot be asked gives a refusal with SQLSTATE 57P03
    /// (cannot connect now), never an exception or a hang.
    /// </summary>
    public async ValueTask<EndpointResolution> ResolveAsync(
        StartupPacket startup, int localPort, string? serverName = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ResolveCoreAsync(startup, localPort, serverName, cancellationToken);
        }
        catch (EndpointCatalogUnavailableException ex)
        {
            return Refuse(PostgresErrorCodes.CannotConnectNow, $"the endpoint could not be looked up: {ex.Message}",
                "Try again in a few seconds; if it persists, the proxy cannot reach its cluster.");
        }
    }

    private async ValueTask<EndpointResolution> ResolveCoreAsync(StartupPacket startup, int localPort, string? serverName, CancellationToken cancellationToken)
    {
        var marks = new List<(string Source, string Id)>();
        var byPort = directory.FindByPort(localPort);
        if (byPort is not null)
        {
            marks.Add(("listener port", byPort.Id));
        }

        if (EndpointFromServerName(serverName) is { } sniId)
        {
            marks.Add(("TLS server name", sniId));
        }

        var parameters = new List<KeyValuePair<string, string>>(startup.Parameters.Count);
        string? userSuffix = null;
        foreach (var (name, value) in startup.Parameters)
        {
            if (name == "options")
            {
                var (rest, optionIds) = StripEndpointOption(value);
                marks.AddRange(optionIds.Select(id => ("options", id)));
                if (rest.Length > 0)
                {
                    parameters.Add(new(name, rest));
                }

                continue;
            }

            if (name == "user")
            {
                var at = value.LastIndexOf('@');
                if (at > 0 && at < value.Length - 1)
                {
                    var suffix = value[(at + 1)..];
                    if (await directory.FindAsync(suffix, cancellationToken) is not null)
                    {
                        marks.Add(("user name", suffix));
                        parameters.Add(new(name, value[..at]));
                        continue;
                    }

                    userSuffix = suffix;
                }
            }

            parameters.Add(new(name, value));
        }

        var ids = marks.Select(m => m.Id).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count > 1)
        {
            var described = string.Join(", ", marks.Select(m => $"'{m.Id}' by {m.Source}"));
            return Refuse(PostgresErrorCodes.SqlServerRejectedEstablishmentOfSqlConnection,
                $"the connection names more than one endpoint: {described}", "Name exactly one endpoint.");
        }

        if (ids.Count == 0)
        {
            var message = userSuffix is null
                ? "no endpoint named in the connection"
                : $"no endpoint named in the connection (user name suffix '{userSuffix}' is not a known endpoint)";
            return Refuse(PostgresErrorCodes.SqlServerRejectedEstablishmentOfSqlConnection, message, HowToConnect);
        }

        var endpoint = await directory.FindAsync(ids[0], cancellationToken);
        if (endpoint is null)
        {
            return Refuse(PostgresErrorCodes.SqlServerRejectedEstablishmentOfSqlConnection,
                $"endpoint '{ids[0]}' does not exist", "Check the endpoint id in the portal; it is the first label of your endpoint address.");
        }

        if (!endpoint.Enabled)
        {
            return Refuse(PostgresErrorCodes.InvalidAuthorizationSpecification,
                $"endpoint '{endpoint.Id}' is disabled", "An owner or admin of the tenant can enable it in the portal.");
        }

        if (!string.IsNullOrEmpty(endpoint.DefaultDatabase) && !parameters.Exists(p => p.Key == "database"))
        {
            parameters.Add(new("database", endpoint.DefaultDatabase));
        }

        return new EndpointResolution { Endpoint = endpoint, UpstreamParameters = parameters };
    }

    /// <summary>The first label of <c>&lt;id&gt;.&lt;proxy-domain&gt;</c>; null for other names (an address, the bare domain).</summary>
    private string? EndpointFromServerName(string? serverName)
    {
        var suffix = "." + directory.ProxyDomain;
        if (string.IsNullOrEmpty(serverName) || !serverName.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var label = serverName[..^suffix.Length].ToLowerInvariant();
        return label.Length > 0 && !label.Contains('.', StringComparison.Ordinal) ? label : null;
    }

    private static EndpointResolution Refuse(string sqlState, string message, string hint) =>
        new() { SqlState = sqlState, Message = message, Hint = hint };

    /// <summary>
    /// Removes <c>endpoint=&lt;id&gt;</c> (or <c>--endpoint=&lt;id&gt;</c>) from a backend options string, keeping the
    /// other options exactly as written. Options are separated by spaces; a backslash escapes the next character.
    /// </summary>
    internal static (string Remaining, List<string> Ids) StripEndpointOption(string options)
    {
        var ids = new List<string>();
        var kept = new StringBuilder(options.Length);
        var i = 0;
        while (i < options.Length)
        {
            var start = i;
            while (i < options.Length && options[i] == ' ')
            {
                i++;
            }

            var tokenStart = i;
            while (i < options.Length && options[i] != ' ')
            {
                i += options[i] == '\\' && i + 1 < options.Length ? 2 : 1;
            }

            var token = options[tokenStart..i];
            var id = token.StartsWith("endpoint=", StringComparison.Ordinal) ? token["endpoint=".Length..]
                : token.StartsWith("--endpoint=", StringComparison.Ordinal) ? token["--endpoint=".Length..]
                : null;
            if (id is not null)
            {
                ids.Add(id);
            }
            else
            {
                kept.Append(options, start, i - start);
            }
        }

        return (kept.ToString().Trim(' '), ids);
    }
}
