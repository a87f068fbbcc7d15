using System.ComponentModel.DataAnnotations;

namespace Tenants.Edge;

/// <summary>The edge proxy's listener, limits and (until the tenant API exists) its configured endpoints.</summary>
public sealed class EdgeOptions
{
    public const string SectionName = "Edge";

    /// <summary>Address the shared PostgreSQL listener binds to.</summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Port of the shared listener, where the endpoint is named by the client (options or user suffix).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 6432;

    /// <summary>Name of this proxy node as recorded on every event.</summary>
    public string NodeName { get; set; } = Environment.MachineName;

    /// <summary>Time a client has to send its startup packet before it is told so and closed.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A session with no traffic either way for this long is ended with SQLSTATE 57P05; zero (the default, like
    /// PostgreSQL's <c>idle_session_timeout</c>) never ends one.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// On shutdown the node stops accepting connections at once and gives open sessions this long to finish; those
    /// still open are then ended with SQLSTATE 57P01 and a message saying the proxy is shutting down.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed to open the TCP connection to the upstream server.</summary>
    public TimeSpan UpstreamConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest protocol message accepted from a client or server, in bytes. PostgreSQL's own limit is 1 GB;
    /// anything larger is a protocol violation.
    /// </summary>
    [Range(1024, int.MaxValue)]
    public int MaxMessageSize { get; set; } = 1 << 30;

    /// <summary>Largest SQL text kept on an event; longer text is cut and marked as such.</summary>
    [Range(256, 64 * 1024 * 1024)]
    public int MaxCapturedSqlBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Whether a brokered sign-in (a personal access token sent as the password) is accepted over an unencrypted
    /// connection from a loopback address. Over the network it always needs TLS.
    /// </summary>
    public bool AllowPlaintextBrokeredLoginFromLoopback { get; set; } = true;

    /// <summary>Audit events that may wait for delivery to the ledger before new ones are dropped and counted.</summary>
    [Range(1, 10_000_000)]
    public int AuditQueueCapacity { get; set; } = 100_000;

    /// <summary>Largest batch of events sent to a ledger grain in one call.</summary>
    [Range(1, 100_000)]
    public int AuditBatchSize { get; set; } = 1_000;

    /// <summary>Delivery of audit events in the durable, sequenced and async modes, and the disk spool.</summary>
    public EdgeAuditOptions Audit { get; set; } = new();

    /// <summary>TLS termination for clients.</summary>
    public EdgeTlsOptions Tls { get; set; } = new();

    /// <summary>Reading endpoints from the global endpoint directory (when the node runs with Orleans).</summary>
    public EdgeDirectoryOptions Directory { get; set; } = new();

    /// <summary>Policy distribution (section <c>Edge:Policy</c>).</summary>
    public EdgePolicyOptions Policy { get; set; } = new();

    /// <summary>The endpoints this node serves (seeded by configuration until the tenant API provides them).</summary>
    public List<EdgeEndpointOptions> Endpoints { get; set; } = [];
}
