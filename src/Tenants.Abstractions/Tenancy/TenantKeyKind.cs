namespace Tenants.Abstractions.Tenancy;

/// <summary>What a key is for.</summary>
[GenerateSerializer]
[Alias("tenants.tenant-key-kind.v1")]
public enum TenantKeyKind
{
    /// <summary>A tenant API key for services and automation.</summary>
    ApiKey = 0,

    /// <summary>A personal access token of one member.</summary>
    PersonalAccessToken = 1,
}
