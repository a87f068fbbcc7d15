using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;

namespace Tenants.Api.Features.AccessRequests;

/// <summary>An approval or rejection: the request id from the route and an optional note.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class DecideAccessRequest
{
    /// <summary>From the route.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Why, for the requester and the ledger (at most 500 characters).</summary>
    public string? Note { get; set; }
}

public sealed class DecideAccessRequestValidator : Validator<DecideAccessRequest>
{
    public DecideAccessRequestValidator()
    {
        RuleFor(r => r.Id).Must(AccessRequests.IsId).WithMessage(AccessRequests.IdMessage);
        RuleFor(r => r.Note).Must(n => n is { Length: > 0 and <= 500 } && !string.IsNullOrWhiteSpace(n) && !n.Any(char.IsControl) && n == n.Trim())
            .When(r => r.Note is not null).WithMessage("note must be 1 to 500 characters, without control characters or surrounding spaces");
    }
}
