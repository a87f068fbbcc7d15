using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Endpoints;

/// <summary>
/// Endpoint settings as a request carries them (create, update, test). Every field is optional here; each action says
/// which it needs. Unknown fields are refused, so a misspelt setting is an error, not a silent default.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public class EndpointSettingsBody
{
    /// <summary>Upstream PostgreSQL host name or address.</summary>
    public string? UpstreamHost { get; set; }

    /// <summary>Upstream port (1-65535); 5432 when creating without one.</summary>
    public int? UpstreamPort { get; set; }

    /// <summary>The database a session uses when the client names none.</summary>
    public string? DefaultDatabase { get; set; }

    /// <summary><c>disable</c>, <c>require</c> or <c>verify-full</c>.</summary>
    public string? TlsMode { get; set; }

    /// <summary>PEM of the CA that signs the upstream certificate (verify-full only).</summary>
    public string? CaCertificatePem { get; set; }

    /// <summary>Sessions at once per edge node; 0 for no limit.</summary>
    public int? MaxConnections { get; set; }

    public bool? AllowReplication { get; set; }

    /// <summary>Durability per statement class; a class left out is durable.</summary>
    public EndpointDurabilityBody? Durability { get; set; }

    /// <summary>
    /// The database login the proxy uses for every session (brokered credentials). On update, a broker without a
    /// password keeps the stored password.
    /// </summary>
    public EndpointBrokerBody? Broker { get; set; }
}

/// <summary>Durability per statement class: <c>durable</c>, <c>sequenced</c> or <c>async</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class EndpointDurabilityBody
{
    public string? Read { get; set; }

    public string? Write { get; set; }

    public string? Ddl { get; set; }

    public string? Dcl { get; set; }

    public string? Tcl { get; set; }

    public string? Other { get; set; }
}

/// <summary>A brokered credential as sent: the role and its password, which is sealed before it is stored and never returned.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class EndpointBrokerBody
{
    public string? User { get; set; }

    public string? Password { get; set; }
}

/// <summary>One endpoint of the caller's tenant, with its address and connection strings.</summary>
public sealed class EndpointResponse
{
    public required string Id { get; init; }

    public required string UpstreamHost { get; init; }

    public required int UpstreamPort { get; init; }

    public string? DefaultDatabase { get; init; }

    /// <summary><c>disable</c>, <c>require</c> or <c>verify-full</c>.</summary>
    public required string TlsMode { get; init; }

    /// <summary>Whether a CA certificate is set (verify-full).</summary>
    public required bool HasCaCertificate { get; init; }

    public required int MaxConnections { get; init; }

    public required bool AllowReplication { get; init; }

    public required EndpointDurabilityView Durability { get; init; }

    /// <summary>The brokered credential's role; the password is never returned.</summary>
    public EndpointBrokerView? Broker { get; init; }

    public required bool Enabled { get; init; }

    public required bool Deleted { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset Updated { get; init; }

    /// <summary>The tenant version of the endpoint's last change.</summary>
    public required long Version { get; init; }

    /// <summary>How clients reach it; null for a deleted endpoint.</summary>
    public EndpointAddress? Address { get; init; }

    /// <summary>Live figures from the search index; null on a node without one.</summary>
    public EndpointStatusView? Status { get; init; }
}

/// <summary>Durability per statement class, every class spelled out.</summary>
public sealed class EndpointDurabilityView
{
    public required string Read { get; init; }

    public required string Write { get; init; }

    public required string Ddl { get; init; }

    public required string Dcl { get; init; }

    public required string Tcl { get; init; }

    public required string Other { get; init; }
}

/// <summary>A brokered credential as shown: the role, and that a password is stored.</summary>
public sealed class EndpointBrokerView
{
    public required string User { get; init; }

    public required bool PasswordSet { get; init; }
}

/// <summary>The endpoint's public address and connection strings.</summary>
public sealed class EndpointAddress
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary><c>sni</c> (the host name names the endpoint) or <c>options</c> (<c>options=endpoint=&lt;id&gt;</c>).</summary>
    public required string Routing { get; init; }

    public string? Database { get; init; }

    /// <summary><c>passthrough</c> (the database checks each user) or <c>brokered</c> (people sign in with personal access tokens).</summary>
    public required string Authentication { get; init; }

    /// <summary>What to put in place of the placeholders.</summary>
    public required string Hint { get; init; }

    public required EndpointConnectionStringSet ConnectionStrings { get; init; }
}

/// <summary>Ready-to-paste connection strings; <c>&lt;user&gt;</c>, <c>&lt;login&gt;</c> and <c>&lt;database&gt;</c> are placeholders.</summary>
public sealed class EndpointConnectionStringSet
{
    public required string Psql { get; init; }

    public required string Uri { get; init; }

    public required string Jdbc { get; init; }

    public required string Npgsql { get; init; }
}

/// <summary>What the search index says about the endpoint's recent use (it lags the ledger by a second or so).</summary>
public sealed class EndpointStatusView
{
    /// <summary>Sessions opened in the last 24 hours with no end recorded yet.</summary>
    public required int OpenSessions { get; init; }

    /// <summary>Statements completed in the last minute (counted up to 1,000).</summary>
    public required int StatementsLastMinute { get; init; }

    /// <summary>Time of the endpoint's newest indexed event; null when it has none.</summary>
    public DateTimeOffset? LastEventTime { get; init; }
}
