using System.Diagnostics;
using Tenants.Policy.Lexing;
using Tenants.Policy.Rules;

// Usage: tenants-bench-policy-classify [seconds per mix] [regress sql folder] [policy document]
// Single thread. Prints statements/s of StatementAnalyzer.Analyze (full facts) and StatementClassifier.Classify
// (kind only) over pgbench's simple statements, and over the regression suite's statements when a folder is given;
// with a policy document (e.g. the one bench/proxy/run.sh writes for POLICY_RULES=50), also Analyze followed by the
// compiled policy's Evaluate, what the edge does per statement.
var seconds = args.Length > 0 && double.TryParse(args[0], out var s) && s > 0 ? s : 3;
var policy = args.Length > 2 && File.Exists(args[2]) ? PolicyCompiler.Compile(File.ReadAllText(args[2]), 1, "bench") : null;
if (policy is { Policy: null })
{
    Console.Error.WriteLine($"the policy does not compile: {string.Join("; ", policy.Problems)}");
    return 1;
}
string[] pgbench =
[
    "SELECT abalance FROM pgbench_accounts WHERE aid = 48392;",
    "UPDATE pgbench_accounts SET abalance = abalance + -1234 WHERE aid = 48392;",
    "UPDATE pgbench_tellers SET tbalance = tbalance + -1234 WHERE tid = 7;",
    "UPDATE pgbench_branches SET bbalance = bbalance + -1234 WHERE bid = 1;",
    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (7, 1, 48392, -1234, CURRENT_TIMESTAMP);",
    "BEGIN;",
    "END;",
    "SELECT abalance FROM pgbench_accounts WHERE aid = $1",
];

Run("pgbench statements", pgbench, seconds);
if (policy?.Policy is { } compiled)
{
    var subject = new PolicySubject("bench", "postgres");
    var now = DateTimeOffset.UtcNow;
    Measure("pgbench statements", "Analyze+Evaluate", pgbench, seconds, sql => compiled.Evaluate(subject, StatementAnalyzer.Analyze(sql), now, false).Denied ? 1 : 0);
}

if (args.Length > 1 && Directory.Exists(args[1]))
{
    var corpus = Directory.GetFiles(args[1], "*.sql")
        .SelectMany(file => SqlStatementSplitter.Split(string.Join('\n', File.ReadLines(file).Where(line => !line.StartsWith('\\')))))
        .ToArray();
    Run($"regress corpus ({corpus.Length} statements, {corpus.Sum(c => c.Length) / Math.Max(1, corpus.Length)} chars avg)", corpus, seconds);
}

return 0;

static void Run(string name, string[] statements, double seconds)
{
    Measure(name, "Analyze", statements, seconds, sql => StatementAnalyzer.Analyze(sql).Parsed ? 1 : 0);
    Measure(name, "Classify", statements, seconds, sql => (int)Tenants.Policy.Classification.StatementClassifier.Classify(sql));
}

static void Measure(string name, string what, string[] statements, double seconds, Func<string, int> work)
{
    // Warm up (tiered JIT), then count whole passes until the time is up.
    var sink = 0;
    for (var i = 0; i < 50_000; i++)
    {
        sink += work(statements[i % statements.Length]);
    }

    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    long done = 0;
    while (watch.Elapsed.TotalSeconds < seconds)
    {
        foreach (var sql in statements)
        {
            sink += work(sql);
        }

        done += statements.Length;
    }

    watch.Stop();
    var perSecond = done / watch.Elapsed.TotalSeconds;
    var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)done;
    Console.WriteLine($"{name,-50} {what,-16} {perSecond,14:N0} statements/s  {1e9 / perSecond,8:N0} ns/statement  {bytes,8:N0} B/statement  (checksum {sink})");
}
