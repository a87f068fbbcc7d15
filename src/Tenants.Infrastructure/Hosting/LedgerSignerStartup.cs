using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tenants.Infrastructure.Signing;
using Tenants.Ledger.Signing;

namespace Tenants.Infrastructure.Hosting;

/// <summary>
/// Creates the signer at start, before the silo and the listeners: a local key file is created or loaded, a Key Vault
/// key is resolved to its current version and checked. A node that cannot sign stops here with a clear message rather
/// than at its first checkpoint.
/// </summary>
internal sealed class LedgerSignerStartup(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var signer = services.GetRequiredService<ILedgerSigner>();
        if (signer is KeyVaultLedgerSigner keyVault)
        {
            await keyVault.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
