using FluentValidation;

namespace Tenants.Api.Features.Events;

/// <summary>
/// The rules every events query's filters follow: what cannot be a sensible query is a 400 naming the parameter,
/// before anything reaches the database. Values that are merely unknown match nothing.
/// </summary>
internal static class EventFilterRules
{
    /// <summary>Longest full-text query.</summary>
    public const int MaxText = 1000;

    /// <summary>Longest text filter value.</summary>
    public const int MaxValue = 256;

    public static void AddEventFilterRules<T>(this AbstractValidator<T> validator)
        where T : EventFilterRequest
    {
        validator.RuleFor(r => r.To).GreaterThan(r => r.From).When(r => r.From is not null && r.To is not null).WithMessage("to must be after from");
        validator.RuleFor(r => r.MinDurationMicros).GreaterThanOrEqualTo(0).When(r => r.MinDurationMicros is not null).WithMessage("minDurationMicros must be 0 or more");
        validator.RuleFor(r => r.MaxDurationMicros).GreaterThanOrEqualTo(r => r.MinDurationMicros ?? 0).When(r => r.MaxDurationMicros is not null)
            .WithMessage("maxDurationMicros must be 0 or more and not below minDurationMicros");
        validator.RuleFor(r => r.MinRows).GreaterThanOrEqualTo(0).When(r => r.MinRows is not null).WithMessage("minRows must be 0 or more");
        validator.RuleFor(r => r.MaxRows).GreaterThanOrEqualTo(r => r.MinRows ?? 0).When(r => r.MaxRows is not null)
            .WithMessage("maxRows must be 0 or more and not below minRows");
        validator.RuleFor(r => r.SqlState).Matches("^[0-9A-Z]{5}$").When(r => r.SqlState is not null).WithMessage("sqlstate must be five digits or capital letters");
        validator.RuleFor(r => r.Fingerprint).Matches("^[0-9a-f]{16}$").When(r => r.Fingerprint is not null).WithMessage("fingerprint must be 16 lower-case hex digits");
        validator.RuleFor(r => r.Q).Must(Plain(MaxText)).When(r => r.Q is not null).WithMessage($"q must be 1 to {MaxText} characters without NUL");
        foreach (var (name, value) in (ReadOnlySpan<(string, Func<T, string?>)>)[
            ("endpoint", r => r.Endpoint), ("session", r => r.Session), ("person", r => r.Person), ("user", r => r.User),
            ("database", r => r.Database), ("client", r => r.Client), ("application", r => r.Application), ("class", r => r.StatementClass),
            ("tag", r => r.Tag), ("kind", r => r.Kind)])
        {
            validator.RuleFor(r => value(r)).Must(Plain(MaxValue)).When(r => value(r) is not null).OverridePropertyName(name)
                .WithMessage($"{name} must be 1 to {MaxValue} characters without NUL");
        }
    }

    // PostgreSQL text cannot hold NUL, so such a value could never match; saying so beats a database error.
    public static Func<string?, bool> Plain(int max) => v => v is { Length: > 0 } s && s.Length <= max && !s.Contains('\0', StringComparison.Ordinal);
}
