using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Secrets;
using Tenants.Abstractions.Tenancy;
using Tenants.Edge.Broker;
using Tenants.Edge.Tls;
using Tenants.PgWire;
using Tenants.PgWire.Backend;

namespace Tenants.Edge.Proxy;

/// <summary>
/// Brokered credentials: the person signs in at the proxy with a personal access token sent as the password (the
/// proxy asks for it in clear, so only over TLS), the tenant checks it, and the proxy logs in upstream as the
/// endpoint's stored role. The person never learns the database password, and every event names both.
/// </summary>
internal sealed partial class PgProxyConnectionHandler
{
    /// <summary>Largest password message accepted from a client: tokens are about 90 bytes.</summary>
    private const int MaxTokenMessage = 8 * 1024;

    private const string TokenHint =
        "Sign in with a personal access token of the tenant that has the scope db:connect (issued in the portal); database passwords do not work on this endpoint.";

    /// <summary>
    /// Signs the person in. Returns the session's tags (naming the person and the stored role) and the password to log
    /// in upstream with; null when the sign-in was refused, after telling the client and recording why.
    /// </summary>
    private async Task<(SessionTags Tags, string Password)?> SignInAsync(
        ConnectionContext connection, ClientTransport client, EdgeEndpointOptions endpoint, SessionTags tags, EdgeOptions settings, CancellationToken closed)
    {
        var broker = endpoint.Broker!;
        var login = tags.DatabaseUser ?? string.Empty;
        var attempt = tags with { Person = login, DatabaseUser = broker.User, Database = tags.Database == login ? DefaultDatabase(endpoint) : tags.Database };
        if (!client.IsTls && !(settings.AllowPlaintextBrokeredLoginFromLoopback && connection.RemoteEndPoint is IPEndPoint { Address: var address } && IPAddress.IsLoopback(address)))
        {
            await RefuseAsync(client, attempt, endpoint, AuditEventKind.ConnectionRefused, PostgresErrorCodes.InvalidAuthorizationSpecification,
                $"endpoint '{endpoint.Id}' signs people in with personal access tokens, which are accepted only over an encrypted connection",
                "Connect with sslmode=require (or verify-full).");
            return null;
        }

        string? token;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(closed))
        {
            timeout.CancelAfter(settings.StartupTimeout);
            try
            {
                token = await ReadTokenAsync(client, timeout.Token);
            }
            catch (OperationCanceledException) when (!closed.IsCancellationRequested)
            {
                await FailAsync(client.Pipe.Output, PostgresErrorCodes.ProtocolViolation, "timeout waiting for the personal access token");
                return null;
            }
        }

        if (token is null)
        {
            // The client hung up when asked (psql does, before it prompts for the password and connects again).
            return null;
        }

        if (persons is null)
        {
            await RefuseAsync(client, attempt, endpoint, AuditEventKind.LoginFailed, PostgresErrorCodes.CannotConnectNow,
                "this proxy node cannot check personal access tokens", "Connect through a node that is part of the cluster.");
            return null;
        }

        PersonAuthentication result;
        try
        {
            result = await persons.AuthenticateAsync(endpoint.TenantId, endpoint.Id, login, token, closed);
        }
        catch (PersonAuthenticatorUnavailableException ex)
        {
            await RefuseAsync(client, attempt, endpoint, AuditEventKind.LoginFailed, PostgresErrorCodes.CannotConnectNow,
                $"the sign-in could not be checked: {ex.Message}", "Try again in a few seconds.");
            return null;
        }

        if (!result.Succeeded)
        {
            LogBrokeredSignInRefused(endpoint.Id, login, result.Failure);
            await RefuseAsync(client, attempt with { Person = result.MemberId ?? login }, endpoint, AuditEventKind.LoginFailed, PostgresErrorCodes.InvalidPassword,
                $"password authentication failed for user \"{login}\"", TokenHint, recorded: result.Failure);
            return null;
        }

        var person = attempt with { Person = result.MemberId, PersonRole = result.Role?.ToString().ToLowerInvariant() };
        try
        {
            return (person, OpenPassword(endpoint, broker));
        }
        catch (CredentialUnavailableException ex)
        {
            await RefuseAsync(client, person, endpoint, AuditEventKind.LoginFailed, PostgresErrorCodes.InvalidAuthorizationSpecification,
                $"the stored credential of endpoint '{endpoint.Id}' cannot be used: {ex.Message}",
                "An owner or admin of the tenant should set the endpoint's credential again; operators: every node needs the same credential keys.");
            return null;
        }
    }

    private string OpenPassword(EdgeEndpointOptions endpoint, EdgeBrokerOptions broker) =>
        broker.Password
        ?? (credentials ?? throw new CredentialUnavailableException("this proxy node has no credential keys"))
            .Open(broker.SealedPassword ?? string.Empty, CredentialProtector.EndpointContext(endpoint.TenantId, endpoint.Id));

    /// <summary>Asks for the token (AuthenticationCleartextPassword) and reads it; null when the client hung up.</summary>
    private static async Task<string?> ReadTokenAsync(ClientTransport client, CancellationToken cancellationToken)
    {
        LoginMessages.Write(client.Pipe.Output, BackendMessageCode.Authentication, LoginMessages.Int32(AuthenticationMessage.CleartextPassword));
        await client.Pipe.Output.FlushAsync(cancellationToken);
        try
        {
            var message = await LoginMessages.ReadAsync(client.Pipe.Input, MaxTokenMessage, cancellationToken);
            if (message is not { } m)
            {
                return null;
            }

            if (m.Code != FrontendMessageCode.Password || m.Body.Length == 0 || m.Body[^1] != 0)
            {
                await FailAsync(client.Pipe.Output, PostgresErrorCodes.ProtocolViolation, "expected a password message");
                return null;
            }

            return Encoding.UTF8.GetString(m.Body.AsSpan(0, m.Body.Length - 1));
        }
        catch (UpstreamLoginException)
        {
            await FailAsync(client.Pipe.Output, PostgresErrorCodes.ProtocolViolation, "invalid password message length");
            return null;
        }
    }

    /// <summary>Logs in upstream with the stored credential; false when that failed, after telling the client and recording why.</summary>
    private async Task<bool> LogInUpstreamAsync(
        ClientTransport client, IDuplexPipe upstream, ProxySession session, EdgeEndpointOptions endpoint, string password, EdgeOptions settings, CancellationToken closed)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(closed);
        timeout.CancelAfter(settings.StartupTimeout);
        try
        {
            await UpstreamLogin.LoginAsync(upstream, client.Pipe.Output, endpoint.Broker!.User, password, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is UpstreamLoginException || (ex is OperationCanceledException && !closed.IsCancellationRequested))
        {
            var (sqlState, reason) = ex is UpstreamLoginException login ? (login.SqlState, login.Message) : (PostgresErrorCodes.InvalidAuthorizationSpecification, "the database did not finish the login in time");
            LogBrokeredUpstreamLoginFailed(endpoint.Id, endpoint.Broker!.User, reason);
            var message = $"the database refused the stored credential of endpoint '{endpoint.Id}' (role \"{endpoint.Broker.User}\"): {reason}";
            session.Emit(AuditEventKind.LoginFailed, e => e with { SqlState = sqlState, Message = message });
            await FailAsync(client.Pipe.Output, sqlState, message, "An owner or admin of the tenant should check the endpoint's brokered credential.");
            return false;
        }
    }

    /// <summary>
    /// The startup parameters with the person's login replaced by the endpoint's stored role. A database named like the
    /// login is what libpq sends when none is given (its default is the user name), so it becomes the database the
    /// stored role would get by default: the endpoint's default database, else the role's name.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> Brokered(IEnumerable<KeyValuePair<string, string>> parameters, EdgeEndpointOptions endpoint)
    {
        var raw = parameters.ToList();
        var login = raw.Find(p => p.Key == "user").Value;
        return raw.Select(p => p.Key switch
        {
            "user" => new KeyValuePair<string, string>("user", Raw(endpoint.Broker!.User)),
            "database" when p.Value == login => new KeyValuePair<string, string>("database", Raw(DefaultDatabase(endpoint))),
            _ => p,
        });
    }

    private static string DefaultDatabase(EdgeEndpointOptions endpoint) =>
        string.IsNullOrEmpty(endpoint.DefaultDatabase) ? endpoint.Broker!.User : endpoint.DefaultDatabase;

    /// <summary>Startup parameters are kept as their bytes, one char per byte.</summary>
    private static string Raw(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>Records the refusal on a session of its own (there is no other yet) and tells the client.</summary>
    private async Task RefuseAsync(ClientTransport client, SessionTags tags, EdgeEndpointOptions endpoint, AuditEventKind kind, string sqlState, string message, string hint, string? recorded = null)
    {
        using var session = new ProxySession(tags, sink, time, cancelKeys, new CancelTarget(endpoint.UpstreamHost, endpoint.UpstreamPort), endpoint.Durability);
        session.Emit(kind, e => e with { SqlState = sqlState, Message = recorded ?? message });
        await FailAsync(client.Pipe.Output, sqlState, message, hint);
    }
}
