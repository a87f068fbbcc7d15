using System.Runtime.CompilerServices;

namespace Tenants.Ledger.Storage;

/// <summary>Replays a tenant's journal across its segments; shared by every <see cref="ILedgerJournal"/> kept as segments.</summary>
public static class LedgerJournalReader
{
    /// <summary>
    /// Yields the journaled entries from <paramref name="fromLeafIndex"/> on, in leaf order. Segments before the one
    /// holding <paramref name="fromLeafIndex"/> are not read. A torn record ends its segment cleanly; the next segment
    /// must then start at the leaf after the last complete record.
    /// </summary>
    /// <param name="segments">The first leaf index of every segment, ascending.</param>
    /// <param name="readSegment">Reads a segment's bytes by its first leaf index.</param>
    /// <param name="fromLeafIndex">The first leaf wanted.</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    /// <exception cref="LedgerJournalFormatException">A foreign record, or segments that leave a gap or overlap.</exception>
    public static async IAsyncEnumerable<LedgerJournalEntry> ReadAsync(
        IReadOnlyList<long> segments,
        Func<long, CancellationToken, Task<ReadOnlyMemory<byte>>> readSegment,
        long fromLeafIndex,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(readSegment);
        ArgumentOutOfRangeException.ThrowIfNegative(fromLeafIndex);

        var start = 0;
        for (var i = 1; i < segments.Count && segments[i] <= fromLeafIndex; i++)
        {
            start = i;
        }

        long? expected = null;
        for (var i = start; i < segments.Count; i++)
        {
            var first = segments[i];
            var path = LedgerJournalSegmentName.Path(first);
            if (expected is { } next && first != next)
            {
                throw new LedgerJournalFormatException(
                    $"{path} starts at leaf {first}, but the previous segment ends before leaf {next}: the journal has a {(first > next ? "gap" : "overlap")}.");
            }

            var content = await readSegment(first, cancellationToken).ConfigureAwait(false);
            var segment = LedgerJournalRecord.ReadSegment(path, first, content);
            foreach (var entry in segment.Entries)
            {
                if (entry.LeafIndex >= fromLeafIndex)
                {
                    yield return entry;
                }
            }

            expected = segment.NextLeafIndex;
        }
    }
}
