using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Tenants.Infrastructure.Index;
using Tenants.Infrastructure.Postgres;
using Tenants.Ledger.Index;
using Tenants.Testing;

// Usage: tenants-bench-search [--events N] [--others N] [--iterations N] [--connection-string S] [--reuse]
// Starts a throwaway PostgreSQL cluster (or uses the given database), applies the migrations, fills
// ledger_index_events with N synthetic events (default 10,000,000) for tenant "bench" and N/5 more spread over four
// other tenants, in SQL (generate_series, 1M rows per INSERT, so the sessions trigger folds each chunk), as the table
// owner: a superuser in the throwaway cluster, which bypasses row-level security for the fill only. Then it runs each
// typical search --iterations times (default 100, after 5 warm-ups) through PostgresLedgerIndex, exactly as the API
// does (reader role, app.tenant_id, row-level security), and prints p50/p99 per search as a markdown table.
// --reuse (with --connection-string): a database this bench filled before is used as it is (after the migrations,
// which bring new indexes and tables to the filled rows), so a change can be measured without a second fill.
const string Tenant = "bench";
const int Chunk = 1_000_000;
var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
// One event every 250 ms: 10M events span about 29 days.
var step = TimeSpan.FromMilliseconds(250);

var events = Option("--events", 10_000_000);
var others = Option("--others", events / 5);
var iterations = Option("--iterations", 100);
var connectionString = OptionText("--connection-string");
var reuse = args.Contains("--reuse");

await using var server = connectionString is null ? await PostgresServer.StartAsync() : null;
connectionString ??= await server!.CreateDatabaseAsync("bench_search");
await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
await new PostgresMigrator().ApplyAsync(dataSource);

if (reuse && await FilledAsync())
{
    Console.Error.WriteLine("reusing the events filled before");
}
else
{
    var fill = Stopwatch.StartNew();
    await FillAsync(Tenant, events);
    for (var i = 0; i < 4; i++)
    {
        await FillAsync($"other-{i}", others / 4);
    }

    Console.Error.WriteLine($"filled {events:N0} + {others:N0} events in {fill.Elapsed.TotalSeconds:N0} s");
}

await ExecuteAsync("VACUUM ANALYZE ledger_index_events");
await ExecuteAsync("VACUUM ANALYZE ledger_index_sessions");
await ExecuteAsync("VACUUM ANALYZE ledger_index_minutes");

var index = new PostgresLedgerIndex(dataSource);
var span = step * events;
var random = new Random(42);
DateTimeOffset Somewhere(TimeSpan window) => t0 + (span - window) * random.NextDouble();
var hour = TimeSpan.FromHours(1);
var day = TimeSpan.FromDays(1);
string[] words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
string[] sqlStates = ["23505", "42P01", "22012", "40001"];

var searches = new (string Name, Func<Task> Run)[]
{
    ("newest 50, no filter", () => index.SearchAsync(Tenant, new LedgerIndexQuery())),
    ("time range (1 h window), 50", () => { var f = Somewhere(hour); return index.SearchAsync(Tenant, new LedgerIndexQuery { From = f, To = f + hour }); }),
    ("endpoint + time range (1 day), 50", () => { var f = Somewhere(day); return index.SearchAsync(Tenant, new LedgerIndexQuery { EndpointId = $"ep-{random.Next(20)}", From = f, To = f + day }); }),
    ("database user, 50", () => index.SearchAsync(Tenant, new LedgerIndexQuery { DatabaseUser = $"user-{random.Next(200)}" })),
    ("SQLSTATE, 50", () => index.SearchAsync(Tenant, new LedgerIndexQuery { SqlState = sqlStates[random.Next(4)] })),
    ("full text word, 50", () => index.SearchAsync(Tenant, new LedgerIndexQuery { Text = words[random.Next(words.Length)] })),
    ("full text word + time range (1 day), 50", () => { var f = Somewhere(day); return index.SearchAsync(Tenant, new LedgerIndexQuery { Text = words[random.Next(words.Length)], From = f, To = f + day }); }),
    ("sort -duration, time range (1 h), 50", () => { var f = Somewhere(hour); return index.SearchAsync(Tenant, new LedgerIndexQuery { From = f, To = f + hour, Sort = LedgerIndexSort.DurationDescending }); }),
    ("facets, all 7 fields, time range (1 h)", () => { var f = Somewhere(hour); return index.CountFacetsAsync(Tenant, new LedgerIndexQuery { From = f, To = f + hour }, Enum.GetValues<LedgerIndexFacetField>(), 10); }),
    ("facets, all 7 fields, time range (1 day)", () => { var f = Somewhere(day); return index.CountFacetsAsync(Tenant, new LedgerIndexQuery { From = f, To = f + day }, Enum.GetValues<LedgerIndexFacetField>(), 10); }),
    ("histogram, 1 day in 15 min buckets", () => { var f = Somewhere(day); return index.CountByTimeAsync(Tenant, new LedgerIndexQuery(), f, f + day, TimeSpan.FromMinutes(15)); }),
    ("histogram, SQLSTATE over all time, 1 day buckets", () => index.CountByTimeAsync(Tenant, new LedgerIndexQuery { SqlState = sqlStates[random.Next(4)] }, t0, t0 + span, day)),
    ("sessions, newest 50", () => index.SearchSessionsAsync(Tenant, new LedgerIndexSessionQuery())),
    ("sessions by user, 50", () => index.SearchSessionsAsync(Tenant, new LedgerIndexSessionQuery { DatabaseUser = $"user-{random.Next(200)}" })),
};

Console.WriteLine($"| Search ({events:N0} events of tenant {Tenant}, {others:N0} of 4 others) | p50 ms | p99 ms | max ms |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var (name, run) in searches)
{
    for (var i = 0; i < 5; i++)
    {
        await run();
    }

    var times = new List<double>(iterations);
    for (var i = 0; i < iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        await run();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Percentile(times, 0.50):N1} | {Percentile(times, 0.99):N1} | {times[^1]:N1} |"));
}

return 0;

async Task FillAsync(string tenant, long count)
{
    for (long first = 0; first < count; first += Chunk)
    {
        var last = Math.Min(first + Chunk, count) - 1;
        // 100 entries per session: connection_accepted, login_succeeded, 97 statements, session_ended.
        await ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $$"""
            INSERT INTO ledger_index_events
                (tenant_id, leaf_index, event_id, kind, time, endpoint_id, session_id, person, database_user, database,
                 client_address, client_host, application, statement_class, command_tag, rows, sqlstate, duration_micros,
                 sql, fingerprint, entry, block_first, block_last)
            SELECT '{{tenant}}', g, 'e' || g,
                   CASE g % 100 WHEN 0 THEN 'connection_accepted' WHEN 1 THEN 'login_succeeded' WHEN 99 THEN 'session_ended' ELSE 'statement' END,
                   '{{t0:O}}'::timestamptz + g * interval '{{step.TotalMilliseconds}} milliseconds',
                   'ep-' || (g / 100 % 20), 's-' || (g / 100),
                   CASE WHEN g / 100 % 5 = 0 THEN 'person-' || (g / 100 % 50) END,
                   'user-' || (g / 100 % 200), 'db-' || (g / 100 % 10),
                   '10.0.' || (g / 100 % 250) || '.' || (g / 25000 % 250) || ':5000', '10.0.' || (g / 100 % 250) || '.' || (g / 25000 % 250),
                   'app-' || (g / 100 % 30),
                   st.class, st.tag, st.rows, st.sqlstate, st.duration,
                   st.sql, lpad(to_hex(g % 5000), 16, '0'),
                   '{"v":1,"tenant":"{{tenant}}","leaf":' || g || ',"kind":"statement","event":{"sql":"' || coalesce(st.sql, '') || '"' || '}' || '}',
                   g / 256 * 256, g / 256 * 256 + 255
            FROM generate_series({{first}}::bigint, {{last}}::bigint) AS g
            CROSS JOIN LATERAL (
                SELECT CASE WHEN g % 100 IN (0, 1, 99) THEN NULL ELSE (ARRAY['read', 'read', 'read', 'write', 'ddl'])[g % 5 + 1] END AS class,
                       CASE WHEN g % 100 IN (0, 1, 99) THEN NULL ELSE (ARRAY['SELECT', 'SELECT', 'SELECT', 'UPDATE', 'CREATE TABLE'])[g % 5 + 1] END AS tag,
                       CASE WHEN g % 100 IN (0, 1, 99) THEN NULL ELSE g % 1000 END AS rows,
                       CASE WHEN g % 500 = 7 THEN (ARRAY['23505', '42P01', '22012', '40001'])[g % 4 + 1] END AS sqlstate,
                       CASE WHEN g % 100 IN (0, 1, 99) THEN NULL ELSE (g * 7919) % 100000 END AS duration,
                       CASE WHEN g % 100 IN (0, 1, 99) THEN NULL
                            ELSE 'select id, total from orders_' || (g % 1000) || ' where customer_id = ' || g || ' and note = '''
                                 || (ARRAY['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'])[g % 8 + 1]
                                 || ' ' || md5(g::text) || '''' END AS sql) AS st
            """));
        Console.Error.WriteLine($"  {tenant}: {last + 1:N0}/{count:N0}");
    }

    await ExecuteAsync($"INSERT INTO ledger_index_cursors (tenant_id, indexed_size) VALUES ('{tenant}', {count})");
}

async Task<bool> FilledAsync()
{
    // The owner reads the cursors past row-level security only when it is not forced; ask as the tenant instead.
    await using var connection = await dataSource.OpenConnectionAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    await using var command = new NpgsqlCommand(
        $"SELECT set_config('app.tenant_id', '{Tenant}', true); SELECT indexed_size FROM ledger_index_cursors WHERE tenant_id = '{Tenant}'", connection, transaction);
    await using var reader = await command.ExecuteReaderAsync();
    await reader.NextResultAsync();
    return await reader.ReadAsync() && reader.GetInt64(0) == events;
}

async Task ExecuteAsync(string sql)
{
    await using var command = dataSource.CreateCommand(sql);
    await command.ExecuteNonQueryAsync();
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

string? OptionText(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
