using System.Text;
using Tenants.Abstractions.Secrets;
using Tenants.Infrastructure.Signing;

namespace Tenants.Host.Hosting;

/// <summary>
/// The keys that seal brokered endpoints' database passwords (<see cref="CredentialProtector"/>). From
/// <c>Secrets:CredentialKeys</c> (base64 keys separated by commas, the sealing key first: what a cluster sets on every
/// node, e.g. from a Key Vault secret), else from <c>Secrets:CredentialKeyFile</c> (one base64 key per line, default
/// <c>.dev/keys/credential-keys</c> under the content root), created with one new key, owner-only, on first run.
/// </summary>
internal static class CredentialKeys
{
    public const string KeysSetting = "Secrets:CredentialKeys";
    public const string FileSetting = "Secrets:CredentialKeyFile";
    public const string DefaultFile = ".dev/keys/credential-keys";

    public static IServiceCollection AddCredentialProtector(this IServiceCollection services, IConfiguration configuration, string contentRootPath) =>
        services.AddSingleton(_ => Load(configuration, contentRootPath));

    internal static CredentialProtector Load(IConfiguration configuration, string contentRootPath)
    {
        if (configuration[KeysSetting] is { Length: > 0 } configured)
        {
            return new CredentialProtector(Parse(configured.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), KeysSetting));
        }

        var path = Path.GetFullPath(Path.Combine(contentRootPath, configuration[FileSetting] is { Length: > 0 } file ? file : DefaultFile));
        if (!File.Exists(path))
        {
            try
            {
                PrivateKeyFile.CreateNew(path, Encoding.ASCII.GetBytes(Convert.ToBase64String(CredentialProtector.NewKey()) + "\n"));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process on this machine made it first: share theirs.
            }
        }

        return new CredentialProtector(Parse(File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')), path));
    }

    private static IEnumerable<byte[]> Parse(IEnumerable<string> keys, string source)
    {
        var parsed = new List<byte[]>();
        foreach (var key in keys)
        {
            try
            {
                parsed.Add(Convert.FromBase64String(key));
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{source}: a credential key is not base64 (expected 32 random bytes in base64)");
            }
        }

        return parsed.Count > 0 ? parsed : throw new InvalidOperationException($"{source}: no credential key");
    }
}
