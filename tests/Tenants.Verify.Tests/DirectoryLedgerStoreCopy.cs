using Tenants.Testing.Ledger;

namespace Tenants.Verify.Tests;

/// <summary>Loads a ledger folder back into an in-memory store, to export it as a bundle.</summary>
internal sealed class DirectoryLedgerStoreCopy(string folder)
{
    public async Task<InMemoryLedgerStore> LoadAsync(string tenantId)
    {
        var store = new InMemoryLedgerStore();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            store.ReplaceRaw(tenantId, Path.GetRelativePath(folder, file).Replace('\\', '/'), await File.ReadAllBytesAsync(file));
        }

        return store;
    }
}
