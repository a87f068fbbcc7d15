using FastEndpoints;
using FluentValidation;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Policies.Diff;

/// <summary>
/// <c>GET /api/v1/policies/{a}/diff/{b}</c>: what changed from version a to b, line by line, over the canonical
/// pretty-printed documents (properties sorted), so formatting alone never shows as a change.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<DiffPoliciesRequest, DiffPoliciesResponse>
{
    public override void Configure()
    {
        Get("/api/v1/policies/{a}/diff/{b}");
        Permissions(ApiPermissions.PolicyRead);
        Summary(s => s.Summary = "A line diff between two policy versions.");
    }

    public override async Task HandleAsync(DiffPoliciesRequest req, CancellationToken ct)
    {
        var all = await PolicyVersions.AllAsync(grains, User, ct);
        var a = PolicyVersions.Find(all, req.A);
        var b = PolicyVersions.Find(all, req.B);
        var lines = LineDiff.Compare(Lines(a.Document), Lines(b.Document));
        await Send.OkAsync(new DiffPoliciesResponse
        {
            From = a.Version,
            To = b.Version,
            Added = lines.Count(l => l[0] == '+'),
            Removed = lines.Count(l => l[0] == '-'),
            Lines = lines,
        }, ct);
    }

    private static string[] Lines(string document) => PolicyDocumentFormat.Canonical(document).ReplaceLineEndings("\n").Split('\n');
}

/// <summary>Two version numbers.</summary>
public sealed class DiffPoliciesValidator : Validator<DiffPoliciesRequest>
{
    public DiffPoliciesValidator()
    {
        RuleFor(r => r.A).GreaterThan(0).WithMessage("a must be a policy version (1 or more)");
        RuleFor(r => r.B).GreaterThan(0).WithMessage("b must be a policy version (1 or more)");
    }
}
