using System.Globalization;
using Npgsql;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Api.Features.Endpoints;

/// <summary>The address of an endpoint and ready-to-paste connection strings for it.</summary>
internal static class EndpointConnectionStrings
{
    /// <summary>Stands for the database user (passthrough) in the strings.</summary>
    public const string UserPlaceholder = "<user>";

    /// <summary>Stands for the person's login (brokered) in the strings.</summary>
    public const string LoginPlaceholder = "<login>";

    /// <summary>Stands for the database when the endpoint has no default.</summary>
    public const string DatabasePlaceholder = "<database>";

    public static EndpointAddress For(EndpointSettings settings, ProxyAddress proxy)
    {
        var sni = proxy.Domain is not null;
        var host = sni ? $"{settings.Id}.{proxy.Domain}" : proxy.Host;
        var port = proxy.Port.ToString(CultureInfo.InvariantCulture);
        var database = settings.DefaultDatabase ?? DatabasePlaceholder;
        var brokered = settings.Broker is not null;
        var user = brokered ? LoginPlaceholder : UserPlaceholder;
        var sslMode = proxy.Tls ? "require" : "disable";
        var options = sni ? null : $"endpoint={settings.Id}";

        var psql = $"psql \"host={host} port={port} dbname={Conninfo(database)} user={Conninfo(user)} sslmode={sslMode}"
            + (options is null ? string.Empty : $" options={options}") + "\"";
        var query = $"sslmode={sslMode}" + (options is null ? string.Empty : $"&options={Uri.EscapeDataString(options)}");
        var uri = $"postgresql://{Uri.EscapeDataString(user)}@{host}:{port}/{Uri.EscapeDataString(database)}?{query}";
        var jdbc = $"jdbc:postgresql://{host}:{port}/{Uri.EscapeDataString(database)}?{query}&user={Uri.EscapeDataString(user)}";
        var npgsql = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = proxy.Port,
            Database = database,
            Username = user,
            SslMode = proxy.Tls ? SslMode.Require : SslMode.Disable,
            Options = options,
        }.ConnectionString;

        return new EndpointAddress
        {
            Host = host,
            Port = proxy.Port,
            Routing = sni ? "sni" : "options",
            Database = settings.DefaultDatabase,
            Authentication = brokered ? "brokered" : "passthrough",
            Hint = brokered
                ? $"Sign in as yourself: replace {LoginPlaceholder} with your login (member id or email) and give a personal access token with the scope db:connect (or db:connect:{settings.Id}) as the password."
                : $"Replace {UserPlaceholder} with a database user of the upstream server; its password is the database's own.",
            ConnectionStrings = new EndpointConnectionStringSet { Psql = psql, Uri = uri, Jdbc = jdbc, Npgsql = npgsql },
        };
    }

    // libpq conninfo values with spaces or quotes must be quoted; ours never have them, but a database name may.
    private static string Conninfo(string value) =>
        value.Any(c => c is ' ' or '\'' or '\\') ? "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'" : value;
}
