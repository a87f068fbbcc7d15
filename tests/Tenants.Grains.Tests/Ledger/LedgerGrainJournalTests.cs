using System.Text.Json;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Verification;
using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.Grains.Tests.Ledger;

/// <summary>
/// What the edge relies on: an append returns only once its events are in the journal, concurrent appends share
/// journal appends, retries are not duplicated, a crash after the acknowledgement loses nothing, an outage fails
/// appends clearly, and a second writer stops the first instead of forking the ledger. Run against each real journal
/// (<see cref="LedgerGrainBlobJournalTests"/>, <see cref="LedgerGrainPostgresJournalTests"/>); blocks and checkpoints
/// are in memory.
/// </summary>
public abstract class LedgerGrainJournalTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly InMemoryLedgerStore _blobs = new();
    private readonly TestLedgerSigner _signer = new(LedgerSilo.OriginPrefix);
    private readonly string _tenant = "t-" + Guid.NewGuid().ToString("N")[..12];
    private ILedgerJournal _journal = null!;

    /// <summary>A fresh, empty journal of the kind under test.</summary>
    protected abstract Task<ILedgerJournal> CreateJournalAsync();

    public async Task InitializeAsync() => _journal = await CreateJournalAsync();

    public void Dispose()
    {
        _signer.Dispose();
        GC.SuppressFinalize(this);
    }

    public async Task DisposeAsync()
    {
        if (_journal is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    private AuditEvent Statement(int i) => new()
    {
        EventId = Ulid.New(DateTimeOffset.UtcNow),
        Kind = AuditEventKind.Statement,
        Time = DateTimeOffset.UtcNow,
        TenantId = _tenant,
        EndpointId = "ep",
        SessionId = "s1",
        Sql = $"select {i}",
    };

    private List<AuditEvent> Statements(int count) => [.. Enumerable.Range(0, count).Select(Statement)];

    private static string EventIdOf(ReadOnlyMemory<byte> entry)
    {
        using var json = JsonDocument.Parse(entry);
        return json.RootElement.GetProperty("event").GetProperty("id").GetString()!;
    }

    private async Task<List<(long Leaf, string EventId)>> JournalAsync()
    {
        var entries = new List<(long, string)>();
        await foreach (var entry in _journal.ReadAsync(_tenant, 0))
        {
            entries.Add((entry.LeafIndex, EventIdOf(entry.Entry)));
        }

        return entries;
    }

    private async Task<List<string>> SealedEventIdsAsync()
    {
        var ids = new List<string>();
        await foreach (var name in _blobs.ListBlocksAsync(_tenant))
        {
            ids.AddRange((await _blobs.ReadBlockAsync(_tenant, name)).Entries.Select(EventIdOf));
        }

        return ids;
    }

    private async Task AssertVerifiesAsync(long size)
    {
        var report = await new LedgerVerifier(_blobs, [_signer.PublicKey]).VerifyAsync(_tenant, $"{LedgerSilo.OriginPrefix}/{_tenant}");
        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Equal(size, report.TreeSize);
    }

    [Fact]
    public async Task Append_ReturnsOnlyOnceTheJournalHoldsTheEntries()
    {
        var store = new ControllableLedgerStore(_blobs, _journal);
        await using var silo = await LedgerSilo.StartAsync(store, store, _signer);
        await silo.Ledger(_tenant).GetStatusAsync();
        var events = Statements(3);

        store.Hold();
        var append = silo.Ledger(_tenant).AppendAsync(events);
        await Eventually.TrueAsync(() => Task.FromResult(store.JournalAppendsStarted == 1), Timeout, "the journal append");
        var whileHeld = await silo.Ledger(_tenant).GetStatusAsync();
        var completedWhileHeld = append.IsCompleted;
        store.Release();
        var result = await append;

        Assert.False(completedWhileHeld, "the append was acknowledged before the journal held its events");
        Assert.Equal((0, 3), (whileHeld.Size, whileHeld.Journaling));
        Assert.Equal(new LedgerAppendResult(0, 3, 0), result);
        Assert.Equal(events.Select((e, i) => ((long)i, e.EventId)), await JournalAsync());
        Assert.Empty(await SealedEventIdsAsync());
    }

    [Fact]
    public async Task Append_ManyConcurrentCallers_RideOneJournalAppendPerFlightWithContiguousLeaves()
    {
        var store = new ControllableLedgerStore(_blobs, _journal);
        await using var silo = await LedgerSilo.StartAsync(store, store, _signer, o => o.MaxBlockEntries = 16);
        await silo.Ledger(_tenant).GetStatusAsync();
        var batches = Enumerable.Range(0, 40).Select(_ => Statements(3)).ToList();

        // The first call's append is held in flight; the other 39 calls arrive meanwhile and must all ride the next one.
        store.Hold();
        var appends = batches.Select(batch => silo.Ledger(_tenant).AppendAsync(batch)).ToList();
        await Eventually.MatchAsync(
            () => silo.Ledger(_tenant).GetStatusAsync(), s => s.Journaling == 120, Timeout, s => $"not every call reached the ledger: {s}");
        store.Release();
        var results = await Task.WhenAll(appends);

        Assert.Equal([3, 117], store.JournalAppends.Select(a => a.Count));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i * 3).Order(), results.Select(r => r.FirstIndex).Order());
        var journal = await JournalAsync();
        Assert.Equal(Enumerable.Range(0, 120).Select(i => (long)i), journal.Select(e => e.Leaf));
        for (var i = 0; i < batches.Count; i++)
        {
            // Each call's events are consecutive leaves, in the order the call gave them, from the index it was told.
            Assert.Equal(batches[i].Select(e => e.EventId), journal.Skip((int)results[i].FirstIndex).Take(3).Select(e => e.EventId));
        }

        Assert.Equal(120, (await silo.Ledger(_tenant).CheckpointAsync()).CheckpointSize);
        await AssertVerifiesAsync(120);
    }

    [Fact]
    public async Task Append_RetriedBatch_IsNotAppendedAgain_WhileInFlightAndAfterReactivation()
    {
        var store = new ControllableLedgerStore(_blobs, _journal);
        await using var silo = await LedgerSilo.StartAsync(store, store, _signer);
        await silo.Ledger(_tenant).GetStatusAsync();
        var batch = Statements(5);

        // A retry that arrives while the first delivery is still in flight waits for it and is not appended again.
        store.Hold();
        var first = silo.Ledger(_tenant).AppendAsync(batch);
        await Eventually.MatchAsync(
            () => silo.Ledger(_tenant).GetStatusAsync(), s => s.Journaling == 5, Timeout, s => $"the first delivery did not arrive: {s}");
        var retryInFlight = silo.Ledger(_tenant).AppendAsync(batch);
        store.Release();
        var original = await first;
        var retried = await retryInFlight;

        await silo.Cluster.DeactivateAsync(silo.Ledger(_tenant));
        var afterReactivation = await silo.Ledger(_tenant).AppendAsync(batch);
        var mixed = await silo.Ledger(_tenant).AppendAsync([batch[4], Statement(99)]);

        Assert.Equal(new LedgerAppendResult(0, 5, 0), original);
        Assert.Equal(new LedgerAppendResult(0, 0, 5), retried);
        Assert.Equal(new LedgerAppendResult(0, 0, 5), afterReactivation);
        Assert.Equal(new LedgerAppendResult(5, 1, 1), mixed);
        Assert.Equal(6, (await JournalAsync()).Count);
        Assert.Equal(6, (await silo.Ledger(_tenant).CheckpointAsync()).CheckpointSize);
        await AssertVerifiesAsync(6);
    }

    [Fact]
    public async Task Silo_KilledAfterAcknowledgingBeforeSealing_NextSiloRecoversEveryEventExactlyOnce()
    {
        var killed = new ControllableLedgerStore(_blobs, _journal);
        var acknowledged = new List<AuditEvent>();
        var crashed = await LedgerSilo.StartAsync(killed, killed, _signer, o => o.MaxBlockEntries = 4);
        for (var i = 0; i < 5; i++)
        {
            var batch = Statements(i + 1);
            await crashed.Ledger(_tenant).AppendAsync(batch);
            acknowledged.AddRange(batch);
        }

        // Stop the first sealing in its tracks (as kill -9 would): from now on that silo cannot write a thing.
        killed.Unreachable = true;
        var sealedBeforeCrash = (await SealedEventIdsAsync()).Count;
        await using var next = await LedgerSilo.StartAsync(_blobs, _journal, _signer, o => o.MaxBlockEntries = 4);
        var status = await next.Ledger(_tenant).GetStatusAsync();
        var retry = await next.Ledger(_tenant).AppendAsync(acknowledged[^5..]);
        var checkpoint = await next.Ledger(_tenant).CheckpointAsync();
        await crashed.DisposeAsync();

        Assert.True(sealedBeforeCrash < 15, $"everything was sealed before the crash ({sealedBeforeCrash}); the test proves nothing");
        Assert.Equal(15, status.Size);
        Assert.Equal(new LedgerAppendResult(10, 0, 5), retry);
        Assert.Equal(15, checkpoint.CheckpointSize);
        Assert.Equal(acknowledged.Select(e => e.EventId), await SealedEventIdsAsync());
        await AssertVerifiesAsync(15);
    }

    [Fact]
    public async Task Append_StorageUnreachable_FailsWithNothingAcknowledged_AndWorksWhenStorageIsBack()
    {
        var store = new ControllableLedgerStore(_blobs, _journal);
        await using var silo = await LedgerSilo.StartAsync(store, store, _signer);
        var before = await silo.Ledger(_tenant).AppendAsync(Statements(2));
        var batch = Statements(3);

        store.Unreachable = true;
        var failure = await Assert.ThrowsAsync<LedgerUnavailableException>(() => silo.Ledger(_tenant).AppendAsync(batch));
        var statusDuringOutage = await silo.Ledger(_tenant).GetStatusAsync();
        var otherTenant = "t-" + Guid.NewGuid().ToString("N")[..12];
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => silo.Ledger(otherTenant).AppendAsync([Statement(0) with { TenantId = otherTenant }]));
        store.Unreachable = false;
        var after = await silo.Ledger(_tenant).AppendAsync(batch);

        Assert.Contains("nothing of the batch was recorded", failure.Message, StringComparison.Ordinal);
        Assert.Equal((2, 0), (statusDuringOutage.Size, statusDuringOutage.Journaling));
        Assert.Equal(new LedgerAppendResult(0, 2, 0), before);
        Assert.Equal(new LedgerAppendResult(2, 3, 0), after);
        Assert.Equal(5, (await JournalAsync()).Count);
        Assert.Equal(5, (await silo.Ledger(_tenant).CheckpointAsync()).CheckpointSize);
        await AssertVerifiesAsync(5);
    }

    [Fact]
    public async Task Append_AfterAnotherActivationWroteTheJournal_StopsThisActivationAndNeverForks()
    {
        await using var first = await LedgerSilo.StartAsync(_blobs, _journal, _signer);
        await using var second = await LedgerSilo.StartAsync(_blobs, _journal, _signer);
        var early = Statements(3);
        var late = Statements(2);
        var lost = Statement(7);

        await first.Ledger(_tenant).AppendAsync(early);
        await second.Ledger(_tenant).AppendAsync(late);
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => first.Ledger(_tenant).AppendAsync([lost]));
        var journalAfterConflict = await JournalAsync();
        var checkpoint = await second.Ledger(_tenant).CheckpointAsync();

        // The stopped activation went away; the next call to that silo activates afresh from the blobs and appends after
        // everything the other one wrote.
        var retried = await Eventually.MatchAsync(
            async () =>
            {
                try
                {
                    return await first.Ledger(_tenant).AppendAsync([lost]);
                }
                catch (LedgerUnavailableException)
                {
                    return null;
                }
            },
            r => r is not null, Timeout, _ => "the stopped activation never gave way to a new one");
        var final = await first.Ledger(_tenant).CheckpointAsync();

        Assert.Equal([.. early.Concat(late).Select(e => e.EventId)], journalAfterConflict.Select(e => e.EventId));
        Assert.Equal(5, checkpoint.CheckpointSize);
        Assert.Equal(new LedgerAppendResult(5, 1, 0), retried);
        Assert.Equal(6, final.CheckpointSize);
        Assert.Equal([.. early.Concat(late).Append(lost).Select(e => e.EventId)], await SealedEventIdsAsync());
        await AssertVerifiesAsync(6);
    }

    [Fact]
    public async Task Append_LargeEntries_AreSealedIntoBlocksBoundedByBytes()
    {
        await using var silo = await LedgerSilo.StartAsync(_blobs, _journal, _signer, o => o.MaxBlockBytes = 2_048);
        var events = Enumerable.Range(0, 12).Select(i => Statement(i) with { Sql = $"select '{new string('x', 600)}', {i}" }).ToList();

        await silo.Ledger(_tenant).AppendAsync(events);
        await silo.Ledger(_tenant).CheckpointAsync();

        var blocks = new List<LedgerBlock>();
        await foreach (var name in _blobs.ListBlocksAsync(_tenant))
        {
            blocks.Add(await _blobs.ReadBlockAsync(_tenant, name));
        }

        Assert.True(blocks.Count >= 4, $"{blocks.Count} blocks for 12 entries of ~800 bytes with 2 KiB blocks");
        Assert.All(blocks, b => Assert.True(b.EncodeContent().Length <= 2_048, $"{b.Name} holds {b.EncodeContent().Length} bytes"));
        await AssertVerifiesAsync(12);
    }

    [Fact]
    public async Task Checkpoint_TrimsTheJournalBelowTheDedupWindow_AndRetriesInsideTheWindowStayDeduplicated()
    {
        await using var silo = await LedgerSilo.StartAsync(_blobs, _journal, _signer, o => (o.MaxBlockEntries, o.DedupWindow) = (4, 4));
        var batches = Enumerable.Range(0, 3).Select(_ => Statements(4)).ToList();
        foreach (var batch in batches)
        {
            await silo.Ledger(_tenant).AppendAsync(batch);
        }

        var checkpoint = await silo.Ledger(_tenant).CheckpointAsync();
        var journalAfterTrim = await JournalAsync();
        await silo.Cluster.DeactivateAsync(silo.Ledger(_tenant));
        var retry = await silo.Ledger(_tenant).AppendAsync(batches[2]);
        var next = await silo.Ledger(_tenant).AppendAsync(Statements(1));

        Assert.Equal(12, checkpoint.CheckpointSize);
        // Sealed entries older than the 4 newest are forgotten: the journal keeps only the record of leaves 8..11.
        Assert.Equal(Enumerable.Range(8, 4).Select(i => (long)i), journalAfterTrim.Select(e => e.Leaf));
        Assert.Equal(new LedgerAppendResult(8, 0, 4), retry);
        Assert.Equal(new LedgerAppendResult(12, 1, 0), next);
        Assert.Equal(13, (await silo.Ledger(_tenant).CheckpointAsync()).CheckpointSize);
        await AssertVerifiesAsync(13);
    }
}
