using System.Globalization;
using Npgsql;
using Tenants.Grains.Hosting;
using Tenants.Grains.Index;
using Tenants.Infrastructure.Hosting;
using Tenants.Infrastructure.Postgres;
using Tenants.Ledger;
using Tenants.Ledger.Storage;

namespace Tenants.Host.Commands;

/// <summary>
/// <c>Tenants.Host index rebuild [--tenant &lt;id&gt;]</c>: throws away the search index of one tenant (or of every
/// tenant with blobs) and indexes its sealed blocks again, with a progress line on stderr. Reads the same
/// configuration as the Host (appsettings, environment, <c>--Section:Key=value</c>).
/// </summary>
internal static partial class IndexCommand
{
    private const string Usage = "usage: Tenants.Host index rebuild [--tenant <id>] [--<Section>:<Key>=<value> ...]";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "index";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (args is not [_, "rebuild", .. var rest])
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        string? tenant = null;
        var configuration = new List<string>();
        for (var i = 0; i < rest.Length; i++)
        {
            if (rest[i] == "--tenant" && i + 1 < rest.Length && !string.IsNullOrWhiteSpace(rest[i + 1]))
            {
                tenant = rest[++i];
            }
            else if (rest[i].StartsWith("--", StringComparison.Ordinal) && rest[i].Contains('=', StringComparison.Ordinal))
            {
                configuration.Add(rest[i]);
            }
            else
            {
                await Console.Error.WriteLineAsync($"unexpected argument '{rest[i]}'\n{Usage}");
                return 2;
            }
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder([.. configuration]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var postgres = builder.Configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(postgres))
        {
            await Console.Error.WriteLineAsync("ConnectionStrings:Postgres is not set: there is no search index to rebuild.");
            return 2;
        }

        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(postgres));
        builder.Services.AddBlobLedgerStore(builder.Configuration);
        builder.Services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.SectionName).ValidateDataAnnotations();
        builder.Services.AddPostgresLedgerIndex();
        builder.Services.AddTenantsLedgerIndexer();
        using var host = builder.Build();

        await new PostgresMigrator().ApplyAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), cancellationToken);
        var indexer = host.Services.GetRequiredService<LedgerIndexer>();
        var tenants = tenant is not null ? [tenant] : await ListTenantsAsync(host.Services.GetRequiredService<ILedgerStore>(), cancellationToken);
        var progress = new ProgressLine();
        foreach (var id in tenants)
        {
            var size = await indexer.RebuildAsync(id, progress, cancellationToken);
            progress.End();
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id}\t{size} entries indexed"));
        }

        return 0;
    }

    private static async Task<List<string>> ListTenantsAsync(ILedgerStore store, CancellationToken cancellationToken)
    {
        var tenants = new List<string>();
        await foreach (var id in store.ListTenantsAsync(cancellationToken))
        {
            tenants.Add(id);
        }

        return tenants;
    }

    /// <summary>One line on stderr, rewritten in place on a terminal and printed every 100 blocks otherwise.</summary>
    private sealed class ProgressLine : IProgress<LedgerIndexProgress>
    {
        private readonly bool _terminal = !Console.IsErrorRedirected;
        private bool _open;

        public void Report(LedgerIndexProgress value)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"index rebuild {value.TenantId}: {value.IndexedSize}/{value.LedgerSize} entries, block {value.Blocks}/{value.TotalBlocks}");
            if (_terminal)
            {
                Console.Error.Write("\r" + line);
                _open = true;
            }
            else if (value.Blocks % 100 == 0 || value.Blocks == value.TotalBlocks)
            {
                Console.Error.WriteLine(line);
            }
        }

        public void End()
        {
            if (_open)
            {
                Console.Error.WriteLine();
                _open = false;
            }
        }
    }
}
