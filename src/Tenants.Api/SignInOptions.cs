namespace Tenants.Api;

/// <summary>Portal sessions, rate limits of the anonymous account endpoints and invitations (section <c>Api:SignIn</c>).</summary>
public sealed class SignInOptions
{
    public const string SectionName = "Api:SignIn";

    /// <summary>How long a session cookie lives without use (sliding; default 8 hours).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sign-ups, sign-ins and invitation acceptances per client address per <see cref="RateLimitWindow"/> (default 10).</summary>
    public int RateLimitPermits { get; set; } = 10;

    /// <summary>The fixed window of the rate limit (default 1 minute).</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an invitation token works (default 7 days).</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);
}
