using FastEndpoints;
using FluentValidation;

namespace Tenants.Api.Features.Jobs;

/// <summary>A job id in the route.</summary>
public sealed class JobIdRequest
{
    public string Id { get; set; } = string.Empty;
}

/// <summary>A job id is a ULID: 26 characters of Crockford base 32.</summary>
public sealed class JobIdValidator : Validator<JobIdRequest>
{
    public JobIdValidator() =>
        RuleFor(r => r.Id).Must(id => id is { Length: 26 } && id.All(c => "0123456789ABCDEFGHJKMNPQRSTVWXYZ".Contains(c, StringComparison.Ordinal)))
            .WithMessage("id must be a job id: 26 characters, digits and capital letters (a ULID)");
}
