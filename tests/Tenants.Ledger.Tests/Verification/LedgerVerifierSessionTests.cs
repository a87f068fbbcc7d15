using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tenants.Ledger.Entries;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Verification;

namespace Tenants.Ledger.Tests.Verification;

/// <summary>
/// The session check: ledgers written (and signed) from scratch, so that the tree and every checkpoint are sound and
/// only the session summaries can tell that a session's entries are not what they were.
/// </summary>
public sealed class LedgerVerifierSessionTests : IDisposable
{
    private const string Tenant = "t1";
    private const string Origin = "ledger.example/tenants/t1";
    private const string SessionA = "01JSESSIONAAAAAAAAAAAAAAAA";
    private const string SessionB = "01JSESSIONBBBBBBBBBBBBBBBB";
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryLedgerStore _store = new();
    private readonly TestLedgerSigner _signer = new(Origin);

    public void Dispose() => _signer.Dispose();

    [Fact]
    public async Task VerifyAsync_SummariesMatchTheirSessions_IsValid()
    {
        await WriteAsync(Events());

        var report = await VerifyAsync();

        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Contains("summary\tsessions\t2/2 session summaries valid, 0/2 session summaries INVALID", report.Lines);
    }

    [Fact]
    public async Task VerifyAsync_StatementOfASessionRemovedAndTreeResigned_ReportsThatSession()
    {
        var events = Events();
        events.RemoveAt(events.FindIndex(e => e.Session == SessionA && e.Sql == "DELETE FROM accounts"));
        await WriteAsync(events);

        var report = await VerifyAsync();

        // Every later entry moved up one leaf, so session B's later entries hash differently too; A's summary is first.
        Assert.False(report.IsValid);
        Assert.Contains($"session {SessionA}: hash value doesn't match", report.FirstProblem!.Message, StringComparison.Ordinal);
        Assert.Contains(report.Lines, l => l.StartsWith($"session\t{SessionA}\tINVALID", StringComparison.Ordinal));
        Assert.Contains("summary\tsessions\t0/2 session summaries valid, 2/2 session summaries INVALID", report.Lines);
    }

    [Fact]
    public async Task VerifyAsync_StatementTextAlteredAndTreeResigned_ReportsTheDigest()
    {
        var events = Events();
        var at = events.FindIndex(e => e.Session == SessionB && e.Sql == "SELECT * FROM orders");
        events[at] = events[at] with { Sql = "SELECT 1" };
        await WriteAsync(events);

        var report = await VerifyAsync();

        Assert.False(report.IsValid);
        Assert.Contains($"session {SessionB}: hash value doesn't match: session digest is", report.FirstProblem!.Message, StringComparison.Ordinal);
        Assert.Single(report.Problems);
    }

    [Fact]
    public async Task VerifyAsync_ErrorCountAltered_ReportsTheCounts()
    {
        var events = Events();
        var at = events.FindIndex(e => e.Session == SessionA && e.Sql == "SELECT * FROM missing");
        events[at] = events[at] with { SqlState = null };
        await WriteAsync(events);

        var report = await VerifyAsync();

        Assert.False(report.IsValid);
        Assert.Contains($"session {SessionA}:", report.FirstProblem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_EntryAlteredInStorage_ReportsTheBlockNotTheSummaryItUpsets()
    {
        await WriteAsync(Events());
        var block = new LedgerBlockName(5, 12);
        var lines = Encoding.UTF8.GetString(_store.GetBlockContent(Tenant, block)).TrimEnd('\n').Split('\n');
        lines[3] = lines[3].Replace("DELETE FROM accounts", "DELETE FROM account_", StringComparison.Ordinal);
        _store.ReplaceBlockContent(Tenant, block, Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));

        var report = await VerifyAsync();

        Assert.False(report.IsValid);
        Assert.StartsWith("hash value doesn't match: entries 5-12", report.FirstProblem!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Problems, p => p.Message.StartsWith("session", StringComparison.Ordinal));
        Assert.Contains(report.Lines, l => l.StartsWith("summary\tsessions\t1/1 session summaries valid, 0/1 session summaries INVALID, 1 not checked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_LedgerWithoutSummaries_PrintsNoSessionLine()
    {
        await WriteAsync(Events().Where(e => e.Kind != "session_summary").ToList());

        var report = await VerifyAsync();

        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.DoesNotContain(report.Lines, l => l.Contains("session summaries", StringComparison.Ordinal));
    }

    // Two interleaved sessions; each summary states what its session's entries add up to.
    private static List<Event> Events() =>
    [
        new("connection_accepted", SessionA),
        new("connection_accepted", SessionB),
        new("login_succeeded", SessionA),
        new("statement", SessionA, Sql: "SELECT * FROM accounts", Rows: 3),
        new("login_succeeded", SessionB),
        new("statement", SessionA, Sql: "SELECT * FROM missing", SqlState: "42P01"),
        new("statement", SessionB, Sql: "SELECT * FROM orders", Rows: 10),
        new("statement_submitted", SessionA, Sql: "DELETE FROM accounts"),
        new("statement", SessionA, Sql: "DELETE FROM accounts", Rows: 3),
        new("session_ended", SessionA, BytesFromClient: 400, BytesFromServer: 900),
        new("session_summary", SessionA, Summary: new Claim(Entries: 7, Statements: 3, Errors: 1, Rows: 6, BytesFromClient: 400, BytesFromServer: 900, SqlState: "42P01")),
        new("session_ended", SessionB, BytesFromClient: 100, BytesFromServer: 200),
        new("session_summary", SessionB, Summary: new Claim(Entries: 4, Statements: 1, Errors: 0, Rows: 10, BytesFromClient: 100, BytesFromServer: 200, SqlState: null)),
    ];

    private async Task WriteAsync(List<Event> events)
    {
        // The summaries are computed here from the original script, as the service computed them when it wrote them:
        // removing or altering an entry afterwards leaves them stating the original.
        var original = Events();
        var summaries = Summaries(original);
        var entries = new List<byte[]>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            entries.Add(Entry(i, e, e.Summary is null ? null : summaries[e.Session]));
        }

        var writer = new TestLedgerWriter(_store, _signer, Tenant, Origin, (_, _, index) => entries[(int)index]);
        await writer.AppendBlockAsync(5);
        await writer.AppendBlockAsync(events.Count - 5);
    }

    // An independent reading of ledger-format.md, "Session summaries": seed, then SHA-256(0x02 || digest || leaf hash).
    private static Dictionary<string, string> Summaries(List<Event> events)
    {
        var digests = new Dictionary<string, byte[]>();
        var first = new Dictionary<string, long>();
        var last = new Dictionary<string, long>();
        var result = new Dictionary<string, string>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Summary is { } claim)
            {
                var digest = Convert.ToHexStringLower(digests[e.Session]);
                var states = claim.SqlState is null ? "{}" : $"{{\"{claim.SqlState}\":1}}";
                result[e.Session] = $"{{\"first_leaf\":{first[e.Session]},\"last_leaf\":{last[e.Session]},\"entries\":{claim.Entries},"
                    + $"\"statements\":{claim.Statements},\"errors\":{claim.Errors},\"refused\":0,\"rows\":{claim.Rows},"
                    + $"\"bytes_from_client\":{claim.BytesFromClient},\"bytes_from_server\":{claim.BytesFromServer},"
                    + $"\"sqlstates\":{states},\"digest\":\"{digest}\"}}";
                continue;
            }

            if (!digests.TryGetValue(e.Session, out var running))
            {
                running = SHA256.HashData(Encoding.UTF8.GetBytes($"tenants.session-digest.v1\0{Tenant}\0{e.Session}"));
                first[e.Session] = i;
            }

            var leaf = SHA256.HashData([0x00, .. Entry(i, e, null)]);
            digests[e.Session] = SHA256.HashData([0x02, .. running, .. leaf]);
            last[e.Session] = i;
        }

        return result;
    }

    private static byte[] Entry(long index, Event e, string? summaryJson) =>
        LedgerEntryWriter.Write(new LedgerEntryHeader(Origin, Tenant, index, Start.AddSeconds(index), e.Kind), w =>
        {
            w.WriteString("id", $"event-{index}");
            w.WriteString("endpoint", "main");
            w.WriteString("session", e.Session);
            if (e.Sql is not null)
            {
                w.WriteString("sql", e.Sql);
            }

            if (e.Rows is { } rows)
            {
                w.WriteNumber("rows", rows);
            }

            if (e.SqlState is not null)
            {
                w.WriteString("sqlstate", e.SqlState);
            }

            if (e.BytesFromClient is { } fromClient)
            {
                w.WriteNumber("bytes_from_client", fromClient);
                w.WriteNumber("bytes_from_server", e.BytesFromServer ?? 0);
            }

            if (summaryJson is not null)
            {
                w.WritePropertyName("summary");
                using var document = JsonDocument.Parse(summaryJson);
                document.WriteTo(w);
            }
        });

    private Task<LedgerVerificationReport> VerifyAsync() => new LedgerVerifier(_store, [_signer.PublicKey]).VerifyAsync(Tenant, Origin);

    private sealed record Event(
        string Kind, string Session, string? Sql = null, long? Rows = null, string? SqlState = null,
        long? BytesFromClient = null, long? BytesFromServer = null, Claim? Summary = null);

    private sealed record Claim(long Entries, long Statements, long Errors, long Rows, long BytesFromClient, long BytesFromServer, string? SqlState);
}
