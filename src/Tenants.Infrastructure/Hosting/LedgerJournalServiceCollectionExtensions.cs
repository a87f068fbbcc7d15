using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenants.Infrastructure.Journal;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Storage;

namespace Tenants.Infrastructure.Hosting;

/// <summary>Registers the ledger grains' write-ahead journal.</summary>
public static class LedgerJournalServiceCollectionExtensions
{
    /// <summary>The configuration key that chooses the journal: <c>Blob</c> or <c>Postgres</c>.</summary>
    public const string JournalKey = "Ledger:Journal";

    /// <summary>
    /// Which journal the configuration asks for: <c>Ledger:Journal</c> when set; otherwise <c>Postgres</c> when
    /// <c>ConnectionStrings:Postgres</c> is set, <c>Blob</c> when it is not (see docs/architecture.md for why).
    /// </summary>
    /// <exception cref="InvalidOperationException">An unknown value, or <c>Postgres</c> without a connection string.</exception>
    public static LedgerJournalKind SelectLedgerJournal(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var postgres = configuration.GetConnectionString("Postgres");
        var configured = configuration[JournalKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return string.IsNullOrWhiteSpace(postgres) ? LedgerJournalKind.Blob : LedgerJournalKind.Postgres;
        }

        if (!Enum.TryParse<LedgerJournalKind>(configured, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            throw new InvalidOperationException($"{JournalKey} is '{configured}'; use Blob or Postgres.");
        }

        if (kind == LedgerJournalKind.Postgres && string.IsNullOrWhiteSpace(postgres))
        {
            throw new InvalidOperationException($"{JournalKey} is Postgres but ConnectionStrings:Postgres is not set.");
        }

        return kind;
    }

    /// <summary>
    /// Registers the <see cref="ILedgerJournal"/> that <see cref="SelectLedgerJournal"/> chooses: <see cref="BlobLedgerJournal"/>
    /// (with the <c>Ledger:Blob</c> options that <c>AddBlobLedgerStore</c> binds) or <see cref="PostgresLedgerJournal"/> over
    /// a data source of its own that commits synchronously.
    /// </summary>
    public static IServiceCollection AddLedgerJournal(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        var kind = SelectLedgerJournal(configuration);
        if (kind == LedgerJournalKind.Postgres)
        {
            var connectionString = configuration.GetConnectionString("Postgres")!;
            services.TryAddSingleton<ILedgerJournal>(_ => PostgresLedgerJournal.Create(connectionString));
        }
        else
        {
            services.TryAddSingleton<ILedgerJournal, BlobLedgerJournal>();
        }

        return services;
    }
}
