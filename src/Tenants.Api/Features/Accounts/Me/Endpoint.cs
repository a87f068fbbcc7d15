using FastEndpoints;

namespace Tenants.Api.Features.Accounts.Me;

/// <summary>
/// <c>GET /api/v1/me</c>: the caller (member, email, role, tenant), every tenant of the signed-in person, the permissions
/// and, for a cookie session, the CSRF token. Any authenticated caller; no permission needed.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : EndpointWithoutRequest<MeResponse>
{
    public override void Configure()
    {
        Get("/api/v1/me");
        Summary(s => s.Summary = "Who the caller is, the tenants they can switch to, their permissions and the session's CSRF token.");
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.OkAsync(await AccountSessions.DescribeAsync(grains, User, ct), ct);
}
