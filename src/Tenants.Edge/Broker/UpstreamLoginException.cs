namespace Tenants.Edge.Broker;

/// <summary>
/// The proxy could not log in upstream with an endpoint's stored credential. <see cref="SqlState"/> is the server's when
/// it refused, 28000 when the exchange itself failed.
/// </summary>
public sealed class UpstreamLoginException(string message, string sqlState = Tenants.PgWire.PostgresErrorCodes.InvalidAuthorizationSpecification)
    : Exception(message)
{
    public string SqlState { get; } = sqlState;
}
