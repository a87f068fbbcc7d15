using FastEndpoints;
using FluentValidation;

namespace Tenants.Api.Features.AccessRequests;

/// <summary>An access request id in the route.</summary>
public sealed class AccessRequestIdRequest
{
    public string Id { get; set; } = string.Empty;
}

/// <summary>Access request ids are ULIDs.</summary>
public sealed class AccessRequestIdValidator : Validator<AccessRequestIdRequest>
{
    public AccessRequestIdValidator() =>
        RuleFor(r => r.Id).Must(AccessRequests.IsId).WithMessage(AccessRequests.IdMessage);
}
