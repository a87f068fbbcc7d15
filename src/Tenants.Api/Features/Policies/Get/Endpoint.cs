using FastEndpoints;
using FluentValidation;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Policies.Get;

/// <summary><c>GET /api/v1/policies/{version}</c>: one version and its document.</summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<PolicyVersionRequest, PolicyResponse>
{
    public override void Configure()
    {
        Get("/api/v1/policies/{version}");
        Permissions(ApiPermissions.PolicyRead);
        Summary(s => s.Summary = "One policy version with its document.");
    }

    public override async Task HandleAsync(PolicyVersionRequest req, CancellationToken ct)
    {
        var all = await PolicyVersions.AllAsync(grains, User, ct);
        await Send.OkAsync(PolicyVersions.Response(PolicyVersions.Find(all, req.Version), all.Count), ct);
    }
}

/// <summary>A version number.</summary>
public sealed class PolicyVersionValidator : Validator<PolicyVersionRequest>
{
    public PolicyVersionValidator() => RuleFor(r => r.Version).GreaterThan(0).WithMessage("version must be 1 or more");
}
