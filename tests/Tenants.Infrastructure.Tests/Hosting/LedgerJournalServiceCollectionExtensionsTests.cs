using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tenants.Infrastructure.Hosting;
using Tenants.Infrastructure.Journal;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Storage;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Hosting;

public sealed class LedgerJournalServiceCollectionExtensionsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly string _containerName = $"ledger-{Guid.NewGuid():N}";

    [Fact]
    public async Task AddLedgerJournal_BlobWithoutPostgres_WritesTheJournalToItsOwnContainer()
    {
        var journalContainer = $"journal-{Guid.NewGuid():N}";
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ledger:Blob:ConnectionString"] = azurite.ConnectionString,
                ["Ledger:Blob:ContainerName"] = _containerName,
                ["Ledger:Blob:JournalContainerName"] = journalContainer,
            })
            .Build();
        await using var services = new ServiceCollection().AddBlobLedgerStore(configuration).AddLedgerJournal(configuration).BuildServiceProvider();

        var journal = services.GetRequiredService<ILedgerJournal>();
        await journal.AppendAsync("tenant-1", 0, ["{}"u8.ToArray()]);

        Assert.IsType<BlobLedgerJournal>(journal);
        Assert.True(await new BlobContainerClient(azurite.ConnectionString, journalContainer).GetBlobClient("tenants/tenant-1/journal/00000000000000000000.log").ExistsAsync());
        Assert.False(await new BlobContainerClient(azurite.ConnectionString, _containerName).ExistsAsync());
    }

    [Theory]
    [InlineData(null, null, LedgerJournalKind.Blob)]
    [InlineData(null, "Host=db", LedgerJournalKind.Postgres)]
    [InlineData("Blob", "Host=db", LedgerJournalKind.Blob)]
    [InlineData("postgres", "Host=db", LedgerJournalKind.Postgres)]
    public void SelectLedgerJournal_DefaultsToPostgresWhenItIsConfigured(string? journal, string? postgres, LedgerJournalKind expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Ledger:Journal"] = journal, ["ConnectionStrings:Postgres"] = postgres })
            .Build();

        Assert.Equal(expected, LedgerJournalServiceCollectionExtensions.SelectLedgerJournal(configuration));
    }

    [Theory]
    [InlineData("Postgres", null)]
    [InlineData("Disk", "Host=db")]
    public void SelectLedgerJournal_UnusableChoice_FailsAtStart(string journal, string? postgres)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Ledger:Journal"] = journal, ["ConnectionStrings:Postgres"] = postgres })
            .Build();

        var error = Assert.Throws<InvalidOperationException>(() => LedgerJournalServiceCollectionExtensions.SelectLedgerJournal(configuration));
        Assert.Contains("Ledger:Journal", error.Message, StringComparison.Ordinal);
    }
}
