namespace Tenants.Policy.Rules;

/// <summary>What a rule does when it applies.</summary>
internal enum RuleEffect
{
    Deny,
    RequireGrant,
    Mask,
    Redact,
    Limit,
}
