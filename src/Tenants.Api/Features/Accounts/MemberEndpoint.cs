using System.Diagnostics.CodeAnalysis;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Accounts;

/// <summary>What the account, member and key endpoints share: the acting member and the grain's refusals as problems.</summary>
public abstract class MemberEndpoint<TRequest, TResponse> : Endpoint<TRequest, TResponse>
    where TRequest : notnull
{
    /// <summary>
    /// The member acting: the caller's member, or for a key configured by the operator the tenant's first owner (as for
    /// endpoints and policies); 409 when the tenant has no account yet, so no member to act as.
    /// </summary>
    protected Task<string> ActorAsync(ITenantGrain tenant, CancellationToken cancellationToken) =>
        TenantActor.ResolveAsync(User, tenant, cancellationToken);

    /// <summary>Answers 403 with <paramref name="detail"/>.</summary>
    [DoesNotReturn]
    protected void Forbidden(string detail) => ThrowError(detail, StatusCodes.Status403Forbidden);

    /// <summary>
    /// Answers the grain's refusal: 404 for an id the tenant does not have (another tenant's, too), 409 for a conflict
    /// (taken, already there, the last owner), 400 for anything else.
    /// </summary>
    [DoesNotReturn]
    protected void Refused(TenantValidationException ex) => ThrowError(ex.Message, TenantRefusals.Status(ex));
}
