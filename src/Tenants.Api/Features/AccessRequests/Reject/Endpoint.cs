namespace Tenants.Api.Features.AccessRequests.Reject;

/// <summary><c>POST /api/v1/access-requests/{id}/reject</c> (access:decide) with an optional <c>note</c>.</summary>
public sealed class Endpoint(IGrainFactory grains, TimeProvider time) : DecideEndpoint(grains, time)
{
    protected override bool Approve => false;
}
