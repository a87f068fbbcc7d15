using FluentValidation;

namespace Tenants.Api.Features.Sessions;

/// <summary>What a session id in a route may be: what the edge gives (a ULID), at most 128 plain characters.</summary>
internal static class SessionIdRules
{
    public static IRuleBuilderOptions<T, string> ValidSessionId<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(id => id is { Length: > 0 and <= 128 } && id.All(c => c > ' ' && c != '/' && c < 127))
            .WithMessage("sessionId must be 1 to 128 printable ASCII characters without '/'");
}
