using Azure.Storage.Blobs;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Storage;
using Tenants.Testing;

namespace Tenants.Grains.Tests.Ledger;

/// <summary>The ledger grain's journal contract over <see cref="BlobLedgerJournal"/> in Azurite (segments roll every 2 appends, so trimming shows).</summary>
public sealed class LedgerGrainBlobJournalTests(AzuriteFixture azurite) : LedgerGrainJournalTests, IClassFixture<AzuriteFixture>
{
    protected override Task<ILedgerJournal> CreateJournalAsync() =>
        Task.FromResult<ILedgerJournal>(new BlobLedgerJournal(
            new BlobContainerClient(azurite.ConnectionString, $"journal-{Guid.NewGuid():N}"),
            new BlobLedgerStoreOptions { JournalMaxAppendsPerSegment = 2 }));
}
