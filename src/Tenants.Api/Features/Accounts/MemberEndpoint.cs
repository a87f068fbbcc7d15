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
    /// <summary>The member acting; 403 when no member acts (a key configured by the operator).</summary>
    protected string RequireActor()
    {
        var actor = User.GetMemberId();
        if (actor is null)
        {
            Forbidden("A key configured by the operator acts for no member, and this change must name one: sign in, or use a key issued by a member.");
        }

        return actor;
    }

    /// <summary>Answers 403 with <paramref name="detail"/>.</summary>
    [DoesNotReturn]
    protected void Forbidden(string detail) => ThrowError(detail, StatusCodes.Status403Forbidden);

    /// <summary>
    /// Answers the grain's refusal: 404 for an id the tenant does not have (another tenant's, too), 409 for a conflict
    /// (taken, already there, the last owner), 400 for anything else.
    /// </summary>
    [DoesNotReturn]
    protected void Refused(TenantValidationException ex) => ThrowError(ex.Message, TenantRefusals.Status(ex.Message));
}
