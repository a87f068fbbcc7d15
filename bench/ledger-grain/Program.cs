using System.Diagnostics;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Bench.LedgerGrain;
using Tenants.Bench.LedgerStorage;
using Tenants.Grains.Hosting;
using Tenants.Infrastructure.Journal;
using Tenants.Infrastructure.Postgres;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;
using Tenants.Testing;
using Tenants.Testing.Ledger;

// Usage: tenants-bench-ledger-grain [--callers N] [--batch N] [--seconds N] [--tenants N] [--journal blob|postgres]
//                                    [--connection-string S] [--postgres S]
// Starts Azurite (or uses the given storage) and a one-silo Orleans host with the real ledger grain over
// BlobLedgerStore and the chosen journal (blob: BlobLedgerJournal in the same storage; postgres: PostgresLedgerJournal
// in the database --postgres names, migrated first; without --postgres a throwaway PostgreSQL with fsync off is
// started, which makes commits look cheaper than they are). Then N callers (default 8, at least one per tenant) append
// batches of --batch statement events (default 1) to --tenants ledgers (default 1; caller c writes to tenant c mod N),
// back to back, for --seconds (default 10, after a 2 s warm-up). Every call returns only once its events are in the
// journal. Prints events/s, journal appends (events per append: group commit), per-call latency percentiles, and how
// long sealing and signing the rest took afterwards.
var tenants = Option("--tenants", 1);
var callers = Math.Max(Option("--callers", 8), tenants);
var batchSize = Option("--batch", 1);
var seconds = Option("--seconds", 10);
var journalKind = OptionText("--journal") ?? "blob";
var connectionString = OptionText("--connection-string");
var postgresConnection = OptionText("--postgres");
var tenantIds = Enumerable.Range(0, tenants).Select(t => tenants == 1 ? "bench-tenant" : $"bench-tenant-{t:D3}").ToArray();

await using var azurite = connectionString is null ? await AzuriteServer.StartAsync() : null;
var container = new BlobContainerClient(connectionString ?? azurite!.ConnectionString, $"bench-{DateTime.UtcNow:yyyyMMddHHmmss}");
await using var throwawayPostgres = journalKind == "postgres" && postgresConnection is null ? await PostgresServer.StartAsync() : null;
ILedgerJournal innerJournal;
string journalWhere;
if (journalKind == "postgres")
{
    postgresConnection ??= await throwawayPostgres!.CreateDatabaseAsync($"bench_{DateTime.UtcNow:yyyyMMddHHmmss}");
    await using (var migrate = NpgsqlDataSource.Create(postgresConnection))
    {
        await new PostgresMigrator().ApplyAsync(migrate);
    }

    innerJournal = PostgresLedgerJournal.Create(postgresConnection);
    journalWhere = throwawayPostgres is null ? "PostgreSQL (--postgres)" : "a throwaway PostgreSQL with fsync=off (NOT durable; pass --postgres)";
}
else
{
    innerJournal = new BlobLedgerJournal(new BlobContainerClient(connectionString ?? azurite!.ConnectionString, container.Name + "-journal"));
    journalWhere = $"blob storage ({container.Name}-journal)";
}

var journal = new CountingLedgerJournal(innerJournal);
var store = new BlobLedgerStore(container);
using var signer = new TestLedgerSigner("bench.tenants/ledger");

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddTenantsGrains();
builder.Services.AddSingleton<ILedgerStore>(store);
builder.Services.AddSingleton<ILedgerJournal>(journal);
builder.Services.AddSingleton<ILedgerSigner>(signer);
builder.Services.Configure<LedgerOptions>(o => o.OriginPrefix = "bench.tenants/ledger");
builder.UseOrleans(silo => silo.UseLocalhostClustering().AddMemoryGrainStorage("ledger"));
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var ledgers = tenantIds.Select(t => grains.GetGrain<ILedgerGrain>(t)).ToArray();

// Events are made up front (seeded), so the clock measures the ledger, not the generator.
var generator = new StatementEvents(seed: 42);
long refusals = 0;
Console.WriteLine($"{callers} callers, batches of {batchSize}, {seconds} s, {tenants} tenant(s), blocks on {container.Uri}, journal in {journalWhere}");
await RunAsync(TimeSpan.FromSeconds(2), record: false);
refusals = 0;
var (events, latencies, elapsed, appends) = await RunAsync(TimeSpan.FromSeconds(seconds), record: true);

var statuses = await Task.WhenAll(ledgers.Select(l => l.GetStatusAsync()));
var drain = Stopwatch.StartNew();
var finals = await Task.WhenAll(ledgers.Select(l => l.CheckpointAsync()));
drain.Stop();
latencies.Sort();
Console.WriteLine($"events: {events:N0} in {elapsed.TotalSeconds:F1} s = {events / elapsed.TotalSeconds:N0} events/s");
Console.WriteLine($"refused (unsealed backlog at its bound, retried): {refusals:N0} calls");
Console.WriteLine($"calls: {latencies.Count:N0}, journal appends: {appends:N0} ({(double)events / Math.Max(1, appends):F1} events per append, {(double)latencies.Count / Math.Max(1, appends):F1} calls per append)");
Console.WriteLine($"append latency per call: p50 {Percentile(0.50):F2} ms, p90 {Percentile(0.90):F2} ms, p99 {Percentile(0.99):F2} ms, max {latencies[^1]:F2} ms");
Console.WriteLine($"at the end of the run: {statuses.Sum(s => s.Size):N0} journaled, {statuses.Sum(s => s.SealedSize):N0} sealed; sealing the rest and signing took {drain.ElapsedMilliseconds} ms (checkpoints at {finals.Sum(f => f.CheckpointSize):N0})");
await host.StopAsync();
if (innerJournal is IAsyncDisposable disposable)
{
    await disposable.DisposeAsync();
}

return 0;

async Task<(long Events, List<double> Latencies, TimeSpan Elapsed, long Appends)> RunAsync(TimeSpan duration, bool record)
{
    var batches = new List<List<AuditEvent>>[callers];
    var perCaller = (int)Math.Max(1, 60_000 * duration.TotalSeconds / callers / batchSize) + 1;
    for (var c = 0; c < callers; c++)
    {
        var tenant = tenantIds[c % tenants];
        batches[c] = [.. Enumerable.Range(0, perCaller).Select(_ => Enumerable.Range(0, batchSize).Select(_ => generator.Next(tenant)).ToList())];
    }

    var appendsBefore = journal.Appends;
    var watch = Stopwatch.StartNew();
    var deadline = watch.Elapsed + duration;
    var results = await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
    {
        var latencies = new List<double>();
        long count = 0;
        foreach (var batch in batches[c])
        {
            if (watch.Elapsed >= deadline)
            {
                break;
            }

            var start = Stopwatch.GetTimestamp();
            while (true)
            {
                try
                {
                    await ledgers[c % tenants].AppendAsync(batch);
                    break;
                }
                catch (LedgerUnavailableException)
                {
                    // Backpressure: the ledger holds as many unsealed entries as it may (sealing into blob storage
                    // is behind). Retry the same batch, as the edge would; its event ids make the retry idempotent.
                    Interlocked.Increment(ref refusals);
                    await Task.Delay(TimeSpan.FromMilliseconds(5));
                }
            }

            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            count += batch.Count;
        }

        return (count, latencies);
    })));
    var elapsed = watch.Elapsed;
    return (results.Sum(r => r.count), record ? [.. results.SelectMany(r => r.latencies)] : [], elapsed, journal.Appends - appendsBefore);
}

double Percentile(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];

int Option(string name, int fallback)
{
    var text = OptionText(name);
    return text is not null && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}

string? OptionText(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
