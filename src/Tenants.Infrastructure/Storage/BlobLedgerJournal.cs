using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using Tenants.Ledger.Storage;

namespace Tenants.Infrastructure.Storage;

/// <summary>
/// The journal in blob storage: append blobs <c>tenants/&lt;tenantId&gt;/journal/&lt;first leaf&gt;.log</c> of
/// <see cref="LedgerJournalRecord"/>s, in a container of their own (<see cref="BlobLedgerStoreOptions.JournalContainerName"/>,
/// without the ledger's WORM policy, since segments are deleted once sealed). Appends are conditional on the append
/// position and segments are created create-only, so a second writer fails with <see cref="LedgerJournalConflictException"/>.
/// </summary>
public sealed class BlobLedgerJournal : ILedgerJournal
{
    private const string JournalContentType = "application/octet-stream";

    private readonly BlobContainerClient _container;
    private readonly BlobLedgerStoreOptions _options;
    private readonly ConcurrentDictionary<string, JournalWriter> _journals = new(StringComparer.Ordinal);
    private readonly ContainerCreation _containerCreation;

    /// <summary>Creates a journal from configured options (the account of the ledger, the journal's container).</summary>
    public BlobLedgerJournal(IOptions<BlobLedgerStoreOptions> options)
        : this(BlobLedgerStore.CreateContainerClient(options.Value, options.Value.JournalContainerName), options.Value)
    {
    }

    /// <summary>
    /// Creates a journal over an existing container client (created at first use if missing), with the journal limits of
    /// <paramref name="options"/> (its connection settings and container names are not used).
    /// </summary>
    public BlobLedgerJournal(BlobContainerClient container, BlobLedgerStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        _containerCreation = new ContainerCreation(container);
        _options = options ?? new BlobLedgerStoreOptions();
    }

    /// <inheritdoc />
    public async Task AppendAsync(
        string tenantId, long firstLeafIndex, IReadOnlyList<ReadOnlyMemory<byte>> entries, CancellationToken cancellationToken = default)
    {
        var prefix = BlobLedgerStore.TenantPrefix(tenantId);
        ArgumentOutOfRangeException.ThrowIfNegative(firstLeafIndex);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var runs = LedgerJournalRecord.Plan(entries, _options.JournalMaxAppendBytes);
        await _containerCreation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var writer = _journals.GetOrAdd(tenantId, _ => new JournalWriter());
        await writer.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tail = writer.Tail ??= await LoadTailAsync(prefix, cancellationToken).ConfigureAwait(false);
            if (tail.NextLeafIndex is { } next && firstLeafIndex != next)
            {
                if (firstLeafIndex < next)
                {
                    throw new LedgerJournalConflictException(
                        $"The journal of tenant '{tenantId}' already holds leaves up to {next - 1}; leaf {firstLeafIndex} was journaled by another writer.");
                }

                throw new InvalidOperationException(
                    $"The journal of tenant '{tenantId}' ends before leaf {next}; appending from leaf {firstLeafIndex} would leave a gap.");
            }

            var leaf = firstLeafIndex;
            foreach (var run in runs)
            {
                var (offset, count) = run.GetOffsetAndLength(entries.Count);
                var record = LedgerJournalRecord.Encode(leaf, entries.Skip(offset).Take(count).ToArray());
                if (tail.Segment is null
                    || tail.Torn
                    || (tail.Appends > 0 && (tail.Appends >= _options.JournalMaxAppendsPerSegment || tail.Length + record.Length > _options.JournalMaxSegmentBytes)))
                {
                    tail = await CreateSegmentAsync(prefix, leaf, cancellationToken).ConfigureAwait(false);
                }

                await AppendRecordAsync(prefix + tail.Segment, tail.Length, record, cancellationToken).ConfigureAwait(false);
                leaf += count;
                tail = tail with { Length = tail.Length + record.Length, Appends = tail.Appends + 1, NextLeafIndex = leaf };
                writer.Tail = tail;
            }
        }
        catch
        {
            // Whatever happened (a conflict, a timeout that may or may not have appended), the next append starts by
            // reading the tail from storage again.
            writer.Tail = null;
            throw;
        }
        finally
        {
            writer.Gate.Release();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerJournalEntry> ReadAsync(
        string tenantId, long fromLeafIndex, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prefix = BlobLedgerStore.TenantPrefix(tenantId);
        ArgumentOutOfRangeException.ThrowIfNegative(fromLeafIndex);
        var segments = await ListSegmentsAsync(prefix, cancellationToken).ConfigureAwait(false);
        var entries = LedgerJournalReader.ReadAsync(
            segments,
            async (first, ct) => await DownloadAsync(prefix + LedgerJournalSegmentName.Path(first), ct).ConfigureAwait(false),
            fromLeafIndex,
            cancellationToken);
        await foreach (var entry in entries.ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    /// <remarks>Deletes whole segments: those whose next segment starts at or below <paramref name="belowLeafIndex"/>. The last segment stays.</remarks>
    public async Task TrimAsync(string tenantId, long belowLeafIndex, CancellationToken cancellationToken = default)
    {
        var prefix = BlobLedgerStore.TenantPrefix(tenantId);
        var segments = await ListSegmentsAsync(prefix, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i + 1 < segments.Count && segments[i + 1] <= belowLeafIndex; i++)
        {
            await _container.GetBlobClient(prefix + LedgerJournalSegmentName.Path(segments[i]))
                .DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<long>> ListSegmentsAsync(string prefix, CancellationToken cancellationToken)
    {
        await _containerCreation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var segments = new List<long>();
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix + LedgerJournalSegmentName.Folder }, cancellationToken).ConfigureAwait(false))
        {
            if (LedgerJournalSegmentName.TryParse(item.Name[prefix.Length..], out var first))
            {
                segments.Add(first);
            }
        }

        return segments;
    }

    private async Task<JournalTail> LoadTailAsync(string prefix, CancellationToken cancellationToken)
    {
        var segments = await ListSegmentsAsync(prefix, cancellationToken).ConfigureAwait(false);
        if (segments.Count == 0)
        {
            return new JournalTail(null, 0, 0, null, Torn: false);
        }

        var first = segments[^1];
        var path = LedgerJournalSegmentName.Path(first);
        var response = await _container.GetAppendBlobClient(prefix + path).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        var content = response.Value.Content.ToMemory();
        var segment = LedgerJournalRecord.ReadSegment(path, first, content);
        return new JournalTail(path, content.Length, response.Value.Details.BlobCommittedBlockCount, segment.NextLeafIndex, segment.Torn);
    }

    private async Task<JournalTail> CreateSegmentAsync(string prefix, long firstLeafIndex, CancellationToken cancellationToken)
    {
        var path = LedgerJournalSegmentName.Path(firstLeafIndex);
        var options = new AppendBlobCreateOptions
        {
            Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = JournalContentType },
        };
        try
        {
            await _container.GetAppendBlobClient(prefix + path).CreateAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new LedgerJournalConflictException(
                $"Journal segment '{_container.Name}/{prefix}{path}' already exists: another writer rolled the journal first.", ex);
        }

        return new JournalTail(path, 0, 0, firstLeafIndex, Torn: false);
    }

    private async Task AppendRecordAsync(string blobName, long position, byte[] record, CancellationToken cancellationToken)
    {
        var options = new AppendBlobAppendBlockOptions
        {
            Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = position },
        };
        try
        {
            using var content = new MemoryStream(record, writable: false);
            await _container.GetAppendBlobClient(blobName).AppendBlockAsync(content, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new LedgerJournalConflictException(
                $"Journal segment '{_container.Name}/{blobName}' is no longer {position} bytes long: another writer appended first.", ex);
        }
    }

    private async Task<ReadOnlyMemory<byte>> DownloadAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToMemory();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new LedgerJournalFormatException($"Journal segment '{_container.Name}/{blobName}' was listed but is gone (trimmed meanwhile?); read again.", ex);
        }
    }

    /// <summary>One tenant's journal writer in this process: appends are serialised, and the tail is cached between them.</summary>
    private sealed class JournalWriter
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public JournalTail? Tail { get; set; }
    }

    /// <summary>The last segment as this process last saw it; <see cref="NextLeafIndex"/> is null while the journal is empty.</summary>
    private sealed record JournalTail(string? Segment, long Length, int Appends, long? NextLeafIndex, bool Torn);
}
