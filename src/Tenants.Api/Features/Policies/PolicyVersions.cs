using System.Security.Claims;
using System.Text.Json;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Policies;

/// <summary>Reading the caller's policy versions from the tenant grain, and showing them.</summary>
internal static class PolicyVersions
{
    public static async Task<IReadOnlyList<TenantPolicy>> AllAsync(IGrainFactory grains, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var tenant = grains.GetGrain<ITenantGrain>(user.GetTenantId());
        return await tenant.GetAccountAsync(cancellationToken) is null ? [] : await tenant.GetPoliciesAsync(cancellationToken);
    }

    /// <summary>Version <paramref name="version"/> of the caller's policy; 404 problem details when there is none.</summary>
    public static TenantPolicy Find(IReadOnlyList<TenantPolicy> all, int version)
    {
        var policy = all.FirstOrDefault(p => p.Version == version);
        if (policy is null)
        {
            ValidationContext.Instance.ThrowError(
                all.Count == 0 ? "this tenant has published no policy yet" : $"no policy version {version}; versions are 1 to {all.Count}",
                StatusCodes.Status404NotFound);
        }

        return policy;
    }

    public static PolicyVersionItem Item(TenantPolicy p, int newest) => new()
    {
        Version = p.Version,
        Author = p.Author,
        Published = p.Published,
        Sha256 = p.DocumentSha256,
        Size = PolicyDocumentFormat.Size(p.Document),
        Current = p.Version == newest,
    };

    public static PolicyResponse Response(TenantPolicy p, int newest)
    {
        JsonElement document;
        try
        {
            using var parsed = JsonDocument.Parse(p.Document);
            document = parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            document = JsonSerializer.SerializeToElement(p.Document);
        }

        return new PolicyResponse { Version = Item(p, newest), Document = document };
    }
}
