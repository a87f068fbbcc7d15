using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tenants.Abstractions.Jobs;
using Tenants.Ledger.Bundles;
using Tenants.Ledger.Index;
using Tenants.Ledger.Proofs;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Jobs;

/// <summary>
/// Makes a compliance bundle of the events matching a query: the ledger bundle of the checkpoint range covering them
/// (<see cref="LedgerBundleWriter"/>: manifest, keys, checkpoints, blocks as stored, verifiable with
/// <c>tenants-verify --bundle</c>), then <c>events.jsonl</c>, an inclusion proof per event under <c>proofs/</c>, a
/// <c>README.md</c> for the auditor and <c>export.json</c> (what, when, who, and the SHA-256 of every other file).
/// The tar is streamed into the export store, never held whole in memory.
/// </summary>
internal sealed class LedgerExportWork(
    ILedgerReader store,
    ILedgerSigner signer,
    ILedgerIndexReader? index,
    ILedgerExportStore exports,
    LedgerExportOptions options)
{
    private const int PageSize = 1000;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public async Task<LedgerExportOutcome> RunAsync(
        string tenantId, string origin, string exportId, LedgerExportQuery query, string requestedBy, DateTimeOffset created,
        LedgerJobProgressCounter progress, CancellationToken ct)
    {
        if (index is null)
        {
            throw new InvalidOperationException("Exports need the search index, which this silo does not have (ConnectionStrings:Postgres).");
        }

        var checkpoints = new List<long>();
        await foreach (var size in store.ListCheckpointsAsync(tenantId, ct).ConfigureAwait(false))
        {
            checkpoints.Add(size);
        }

        checkpoints.Sort();
        if (checkpoints.Count == 0)
        {
            throw new InvalidOperationException("The ledger has no signed checkpoint yet; start the export again in a few seconds.");
        }

        // Only entries under the newest signed checkpoint: each event's proof leads to a checkpoint in the bundle.
        var signedSize = checkpoints[^1];
        var (events, truncated) = await FindEventsAsync(tenantId, query, signedSize, ct).ConfigureAwait(false);
        progress.SetTotals(events.Count, null);
        var from = events.Count == 0 ? signedSize : checkpoints.LastOrDefault(c => c <= events[0].LeafIndex);
        var to = events.Count == 0 ? signedSize : checkpoints.First(c => c > events[^1].LeafIndex);

        var proofs = new List<KeyValuePair<string, byte[]>>(events.Count);
        var source = new LedgerProofs(store, tenantId);
        foreach (var e in events)
        {
            var proof = await source.GetInclusionProofAsync(e.LeafIndex, to, ct).ConfigureAwait(false);
            proofs.Add(new($"proofs/{e.LeafIndex:D12}.json", JsonSerializer.SerializeToUtf8Bytes(new
            {
                leafIndex = proof.LeafIndex,
                treeSize = proof.TreeSize,
                entry = Convert.ToBase64String(proof.Entry.Span),
                hashes = proof.Hashes.Select(Convert.ToBase64String).ToList(),
                checkpoint = proof.Checkpoint,
            }, Json)));
            progress.SetEntriesChecked(proofs.Count);
        }

        var eventLines = new StringBuilder();
        foreach (var e in events)
        {
            eventLines.Append(e.Entry).Append('\n');
        }

        var fileName = $"export-{exportId}.tar";
        var stream = await exports.OpenWriteAsync(tenantId, exportId, ct).ConfigureAwait(false);
        var hashing = new HashingWriteStream(stream);
        await using (hashing.ConfigureAwait(false))
        {
            await LedgerBundleWriter.WriteAsync(
                store, tenantId, origin, await signer.GetPublicKeysAsync(ct).ConfigureAwait(false), new LedgerBundleRange(from, to), created, hashing,
                written =>
                {
                    var files = new List<KeyValuePair<string, byte[]>> { new("events.jsonl", Encoding.UTF8.GetBytes(eventLines.ToString())) };
                    files.AddRange(proofs);
                    files.Add(new("README.md", Encoding.UTF8.GetBytes(LedgerExportReadme.Text(tenantId, origin, fileName, exportId, from, to, events.Count))));
                    var all = written.Concat(files.Select(f => new LedgerBundleFile(f.Key, Convert.ToHexStringLower(SHA256.HashData(f.Value)), f.Value.Length)));
                    files.Add(new("export.json", JsonSerializer.SerializeToUtf8Bytes(new
                    {
                        format = "tenants-export",
                        version = 1,
                        exportId,
                        tenant = tenantId,
                        origin,
                        requestedBy,
                        created = created.ToUniversalTime(),
                        query,
                        events = events.Count,
                        truncated,
                        firstLeaf = events.Count == 0 ? (long?)null : events[0].LeafIndex,
                        lastLeaf = events.Count == 0 ? (long?)null : events[^1].LeafIndex,
                        checkpoints = new { from, to },
                        files = all.Select(f => new { path = f.Path, sha256 = f.Sha256, bytes = f.Length }).ToList(),
                    }, Json)));
                    return files;
                },
                ct).ConfigureAwait(false);
        }

        return new LedgerExportOutcome
        {
            Events = events.Count,
            FromSize = from,
            ToSize = to,
            Bytes = hashing.Length,
            Sha256 = hashing.HashHex,
            Truncated = truncated,
        };
    }

    private async Task<(List<LedgerIndexEntry> Events, bool Truncated)> FindEventsAsync(
        string tenantId, LedgerExportQuery query, long signedSize, CancellationToken ct)
    {
        var search = new LedgerIndexQuery
        {
            From = query.From,
            To = query.To,
            EndpointId = query.EndpointId,
            SessionId = query.SessionId,
            Person = query.Person,
            DatabaseUser = query.DatabaseUser,
            Database = query.Database,
            ClientAddress = query.ClientAddress,
            ApplicationName = query.ApplicationName,
            StatementClass = query.StatementClass,
            CommandTag = query.CommandTag,
            SqlState = query.SqlState,
            Kind = query.Kind,
            MinDurationMicros = query.MinDurationMicros,
            MaxDurationMicros = query.MaxDurationMicros,
            MinRows = query.MinRows,
            MaxRows = query.MaxRows,
            Fingerprint = query.Fingerprint,
            Text = query.Text,
            Before = signedSize,
            OldestFirst = true,
            Limit = PageSize,
        };
        var events = new List<LedgerIndexEntry>();
        while (true)
        {
            var page = await index!.SearchAsync(tenantId, search, ct).ConfigureAwait(false);
            events.AddRange(page.Entries.OrderBy(e => e.LeafIndex));
            if (events.Count > options.MaxEvents)
            {
                events.RemoveRange(options.MaxEvents, events.Count - options.MaxEvents);
                return (events, true);
            }

            if (page.Entries.Count < PageSize)
            {
                return (events, false);
            }

            search = search with { After = events[^1].LeafIndex };
        }
    }
}
