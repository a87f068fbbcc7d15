using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Sessions;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Sessions.Get;

/// <summary>
/// <c>GET /api/v1/sessions/{sessionId}</c>: the caller's session, from its session grain. The grain is keyed by the
/// caller's tenant and the id, so another tenant's session id is simply unknown (404).
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<GetSessionRequest, SessionResponse>
{
    public override void Configure()
    {
        Get("/api/v1/sessions/{sessionId}");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "One session of the caller's tenant: tags, times, counts, digest and its summary entry.");
    }

    public override async Task HandleAsync(GetSessionRequest req, CancellationToken ct)
    {
        var grain = grains.GetGrain<ISessionGrain>(SessionGrainKey.For(User.GetTenantId(), req.SessionId));
        if (await grain.GetSummaryAsync(ct) is not { } s)
        {
            ThrowError($"no session '{req.SessionId}' in this tenant's sealed ledger", StatusCodes.Status404NotFound);
            return;
        }

        await Send.OkAsync(new SessionResponse
        {
            SessionId = s.SessionId,
            Endpoint = s.EndpointId,
            Person = s.Person,
            User = s.DatabaseUser,
            Database = s.Database,
            ApplicationName = s.ApplicationName,
            ClientAddress = s.ClientAddress,
            ProxyNode = s.ProxyNode,
            Tls = s.TlsProtocol,
            TlsCipher = s.TlsCipher,
            ServerName = s.ServerName,
            FirstEventTime = s.FirstEventTime,
            LastEventTime = s.LastEventTime,
            Login = s.LoginOutcome,
            Ended = s.Ended,
            FirstLeaf = s.Totals.FirstLeaf,
            LastLeaf = s.Totals.LastLeaf,
            Entries = s.Totals.Entries,
            Statements = s.Totals.Statements,
            Errors = s.Totals.Errors,
            SqlStates = s.Totals.SqlStates,
            Refused = s.Totals.Refused,
            Rows = s.Totals.Rows,
            BytesFromClient = s.Totals.BytesFromClient,
            BytesFromServer = s.Totals.BytesFromServer,
            Digest = s.Totals.Digest,
            SummaryEventId = s.SummaryEventId,
            SummaryAppended = s.SummaryAppended,
            SummaryLeaf = s.SummaryLeaf,
        }, ct);
    }
}

/// <summary>A session id as the edge gives them.</summary>
public sealed class GetSessionValidator : Validator<GetSessionRequest>
{
    public GetSessionValidator() => RuleFor(r => r.SessionId).ValidSessionId();
}
