namespace Tenants.Abstractions.Tenancy;

/// <summary>Why a <see cref="TenantValidationException"/> refused a change: what the API answers (400, 404, 409).</summary>
public enum TenantRefusalKind
{
    /// <summary>The input breaks a rule (a malformed id, a field out of range): fix the request.</summary>
    Invalid,

    /// <summary>What the change names does not exist (a member, a key, a grant).</summary>
    NotFound,

    /// <summary>The change conflicts with the current state (exists already, taken, the last owner, decided already).</summary>
    Conflict,
}
