using System.Security.Claims;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Jobs;

/// <summary>Who a job is recorded as started by.</summary>
internal static class JobRequester
{
    public static string Of(ClaimsPrincipal user) => user.GetMemberId() is { } member ? $"member:{member}" : "api-key";
}
