using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tenants.Infrastructure.Hosting;
using Tenants.Infrastructure.Signing;
using Tenants.Ledger;
using Tenants.Ledger.Signing;

namespace Tenants.Infrastructure.Tests.Hosting;

public sealed class LedgerSigningServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tenants-signing-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task AddLedgerSigner_NoSettings_LocalKeyUnderContentRootPublishingPreviousKeys()
    {
        Directory.CreateDirectory(Path.Combine(_root, "keys"));
        using (var old = new LocalLedgerSigner(Path.Combine(_root, "old.pem"), "x"))
        {
            await File.WriteAllTextAsync(Path.Combine(_root, "keys", "old.pub.pem"), old.PublicKey.ToPem());
        }

        using var services = Build(new() { ["Ledger:Signing:PreviousPublicKeyFiles:0"] = "keys/old.pub.pem" });

        var signer = services.GetRequiredService<ILedgerSigner>();

        Assert.IsType<LocalLedgerSigner>(signer);
        Assert.True(File.Exists(Path.Combine(_root, ".dev", "keys", "ledger-signing.pem")));
        Assert.Equal("tenants.local/ledger", signer.PublicKey.Name);
        Assert.Equal(2, (await signer.GetPublicKeysAsync()).Count);
    }

    [Fact]
    public void AddLedgerSigner_KeyVaultWithoutVault_FailsValidationNamingTheSettings()
    {
        using var services = Build(new() { ["Ledger:Signing:Provider"] = "KeyVault", ["Ledger:Signing:KeyVault:KeyName"] = "ledger" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LedgerSigningOptions>>().Value);

        Assert.Contains("Ledger:Signing:KeyVault:VaultUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddLedgerSigner_KeyVaultOverHttp_FailsValidation()
    {
        using var services = Build(new()
        {
            ["Ledger:Signing:Provider"] = "KeyVault",
            ["Ledger:Signing:KeyVault:VaultUri"] = "http://contoso.vault.azure.net/",
            ["Ledger:Signing:KeyVault:KeyName"] = "ledger",
        });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LedgerSigningOptions>>().Value);
    }

    [Fact]
    public void AddLedgerSigner_KeyVault_CreatesTheKeyVaultSignerWithoutCallingTheVault()
    {
        using var services = Build(new()
        {
            ["Ledger:Signing:Provider"] = "KeyVault",
            ["Ledger:Signing:KeyVault:VaultUri"] = "https://contoso.vault.azure.net/",
            ["Ledger:Signing:KeyVault:KeyName"] = "ledger",
            ["Ledger:Signing:KeyVault:ManagedIdentityClientId"] = "00000000-0000-0000-0000-000000000001",
        });

        var signer = services.GetRequiredService<ILedgerSigner>();

        Assert.IsType<KeyVaultLedgerSigner>(signer);
        Assert.Throws<InvalidOperationException>(() => signer.PublicKey);
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOptions<LedgerOptions>();
        services.AddLedgerSigner(_root);
        return services.BuildServiceProvider();
    }
}
