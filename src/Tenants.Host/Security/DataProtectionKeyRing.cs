using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;
using Tenants.Abstractions.Secrets;

namespace Tenants.Host.Security;

/// <summary>
/// Where API nodes keep the keys of their session cookies: in the platform database, sealed with the credential keys,
/// so that any node opens a cookie another issued (several API replicas behind one load balancer). Without a platform
/// database (never in a deployment) the framework's default applies: a key ring of this machine only.
/// </summary>
internal static class DataProtectionKeyRing
{
    /// <summary>The application name every node shares: keys and cookies are isolated per application name.</summary>
    public const string ApplicationName = "tenants";

    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<NpgsqlDataSource, CredentialProtector>((options, database, protector) =>
        {
            options.XmlRepository = new PostgresXmlRepository(database);
            options.XmlEncryptor = new SealedXmlEncryptor(protector);
        });
        return services;
    }
}
