namespace Tenants.Api.Features.AccessRequests.Approve;

/// <summary><c>POST /api/v1/access-requests/{id}/approve</c> (access:decide) with an optional <c>note</c>.</summary>
public sealed class Endpoint(IGrainFactory grains, TimeProvider time) : DecideEndpoint(grains, time)
{
    protected override bool Approve => true;
}
