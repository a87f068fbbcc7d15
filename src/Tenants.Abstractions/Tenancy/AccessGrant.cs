namespace Tenants.Abstractions.Tenancy;

/// <summary>
/// A person's time-bound access to an endpoint, which rules with the <c>require-grant</c> effect ask for. The edge
/// receives the approved, unexpired ones in <see cref="EdgePolicySnapshot.Grants"/>.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.access-grant.v1")]
public sealed record AccessGrant
{
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string EndpointId { get; init; }

    /// <summary>The member the grant is for.</summary>
    [Id(2)] public required string MemberId { get; init; }

    /// <summary>When it stops counting; the edge compares with its clock for every statement.</summary>
    [Id(3)] public required DateTimeOffset ExpiresAt { get; init; }
}
