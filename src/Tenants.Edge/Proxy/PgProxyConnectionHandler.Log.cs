using Microsoft.Extensions.Logging;

namespace Tenants.Edge.Proxy;

internal sealed partial class PgProxyConnectionHandler
{
    [LoggerMessage(EventId = 1000, EventName = "ConnectionRefused", Level = LogLevel.Information,
        Message = "Refused a connection from {ClientAddress}: {Reason}")]
    private partial void LogRefused(string? clientAddress, string? reason);

    [LoggerMessage(EventId = 1001, EventName = "UpstreamUnavailable", Level = LogLevel.Warning,
        Message = "Endpoint {EndpointId}: cannot reach upstream {Host}:{Port}: {Reason}")]
    private partial void LogUpstreamUnavailable(string endpointId, string host, int port, string reason);

    [LoggerMessage(EventId = 1002, EventName = "SessionStarted", Level = LogLevel.Debug,
        Message = "Session {SessionId} started for tenant {TenantId} endpoint {EndpointId}")]
    private partial void LogSessionStarted(string sessionId, string tenantId, string endpointId);

    [LoggerMessage(EventId = 1003, EventName = "SessionEnded", Level = LogLevel.Debug,
        Message = "Session {SessionId} ended: {BytesFromClient} bytes from client, {BytesFromServer} from server")]
    private partial void LogSessionEnded(string sessionId, long bytesFromClient, long bytesFromServer);

    [LoggerMessage(EventId = 1004, EventName = "CancelForwardFailed", Level = LogLevel.Warning,
        Message = "Could not forward a cancel request to {Host}:{Port}: {Reason}")]
    private partial void LogCancelFailed(string host, int port, string reason);

    [LoggerMessage(EventId = 1005, EventName = "ClientTlsFailed", Level = LogLevel.Information,
        Message = "A client's TLS handshake failed: {Reason}")]
    private partial void LogTlsFailed(string reason);

    [LoggerMessage(EventId = 1006, EventName = "UnexpectedProxyError", Level = LogLevel.Error,
        Message = "Unexpected error in a session from {ClientAddress}")]
    private partial void LogUnexpected(Exception exception, string? clientAddress);

    [LoggerMessage(EventId = 1007, EventName = "BrokeredSignInRefused", Level = LogLevel.Information,
        Message = "Endpoint {EndpointId}: refused the brokered sign-in of '{Login}': {Reason}")]
    private partial void LogBrokeredSignInRefused(string endpointId, string login, string? reason);

    [LoggerMessage(EventId = 1008, EventName = "BrokeredUpstreamLoginFailed", Level = LogLevel.Warning,
        Message = "Endpoint {EndpointId}: the database refused the stored credential of role '{User}': {Reason}")]
    private partial void LogBrokeredUpstreamLoginFailed(string endpointId, string user, string reason);
}
