namespace Tenants.Api;

/// <summary>API settings. Until accounts exist, API keys are seeded by configuration.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>API keys and the tenant each one acts for.</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];
}
