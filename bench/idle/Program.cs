using System.Diagnostics;
using Npgsql;

// Usage: tenants-bench-idle <connection string> <count> [parallelism]
// Opens <count> connections without pooling, prints "open <n>" while it goes and "ready <n>" once all are open,
// then holds them until stdin closes (or a line is read), and closes them. Exit code 1 if any connection failed.
if (args.Length < 2 || !int.TryParse(args[1], out var count) || count < 1)
{
    await Console.Error.WriteLineAsync("usage: tenants-bench-idle <connection string> <count> [parallelism]");
    return 2;
}

var parallelism = args.Length > 2 && int.TryParse(args[2], out var p) && p > 0 ? p : 32;
var builder = new NpgsqlConnectionStringBuilder(args[0]) { Pooling = false, Timeout = 60 };
var connections = new NpgsqlConnection?[count];
var failures = 0;
var opened = 0;
var watch = Stopwatch.StartNew();

await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
{
    var connection = new NpgsqlConnection(builder.ConnectionString);
    try
    {
        await connection.OpenAsync(ct);
        connections[i] = connection;
        var n = Interlocked.Increment(ref opened);
        if (n % 1000 == 0)
        {
            Console.WriteLine($"open {n} ({watch.Elapsed.TotalSeconds:0.0} s)");
        }
    }
    catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
    {
        if (Interlocked.Increment(ref failures) <= 5)
        {
            await Console.Error.WriteLineAsync($"connection {i} failed: {ex.Message}");
        }

        await connection.DisposeAsync();
    }
});

Console.WriteLine($"ready {opened} failed {failures} ({watch.Elapsed.TotalSeconds:0.0} s)");

// Hold until told to stop: the harness closes our stdin (or writes a line) after it has measured.
await Console.In.ReadLineAsync();

foreach (var connection in connections)
{
    if (connection is not null)
    {
        await connection.DisposeAsync();
    }
}

Console.WriteLine("closed");
return failures == 0 ? 0 : 1;
