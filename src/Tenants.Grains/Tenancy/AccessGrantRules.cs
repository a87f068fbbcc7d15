using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Tenancy;

/// <summary>The limits of access requests; each failure is a <see cref="TenantValidationException"/> saying what to fix.</summary>
internal static class AccessGrantRules
{
    public const int MinMinutes = 1;

    public const int MaxMinutes = 1440;

    public const int MaxReasonLength = 500;

    public const int MaxNoteLength = 500;

    /// <summary>Pending requests one member may have at a time.</summary>
    public const int MaxPendingPerMember = 10;

    /// <summary>Records kept in the tenant's state; beyond it the oldest finished ones are pruned (the ledger keeps all).</summary>
    public const int MaxRecords = 1000;

    public static void Reason(string? reason) => Text(reason, "the reason for an access request", MaxReasonLength, required: true);

    public static void Note(string? note) => Text(note, "a decision note", MaxNoteLength, required: false);

    public static void Minutes(int minutes)
    {
        if (minutes is < MinMinutes or > MaxMinutes)
        {
            throw TenantRules.Refused($"an access grant lasts {MinMinutes} to {MaxMinutes} minutes, not {minutes}");
        }
    }

    public static void GrantId(string? id)
    {
        if (id is not { Length: 26 } || !id.All(char.IsAsciiLetterOrDigit))
        {
            throw TenantRules.Refused($"access request id '{id}' is not valid: it is 26 letters and digits");
        }
    }

    private static void Text(string? value, string what, int max, bool required)
    {
        if (value is null && !required)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(value) || value.Length > max || value.Any(char.IsControl) || value != value.Trim())
        {
            throw TenantRules.Refused($"{what} must be 1-{max} characters, without control characters or surrounding spaces");
        }
    }
}
