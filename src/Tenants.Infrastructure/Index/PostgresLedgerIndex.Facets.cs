using System.Text;
using Npgsql;
using NpgsqlTypes;
using Tenants.Ledger.Index;

namespace Tenants.Infrastructure.Index;

public sealed partial class PostgresLedgerIndex
{
    /// <summary>The most values one facet lists.</summary>
    public const int MaxFacetValues = 100;

    /// <summary>The most buckets one histogram has.</summary>
    public const int MaxBuckets = 1000;

    /// <inheritdoc />
    /// <remarks>
    /// One pass over the matching rows: each row is unpivoted into (field, value) pairs, counted per pair, and ranked
    /// within its field. The total rides along as a pseudo-field, so it costs no second scan.
    /// </remarks>
    public async Task<LedgerIndexFacets> CountFacetsAsync(
        string tenantId, LedgerIndexQuery query, IReadOnlyCollection<LedgerIndexFacetField> fields, int top, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(fields);
        await using var scope = await TenantTransaction.BeginAsync(_dataSource, ReaderRole, tenantId, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command(string.Empty);
        var wanted = fields.Distinct().ToList();
        var columns = new StringBuilder("kind");
        var pairs = new StringBuilder("(-1, '')");
        foreach (var field in wanted)
        {
            // Column names come from this switch, never from the caller.
            var column = FacetColumn(field);
            if (!columns.ToString().Split(", ").Contains(column))
            {
                columns.Append(", ").Append(column);
            }

            pairs.Append(", (").Append((int)field).Append(", f.").Append(column).Append(')');
        }

        var counted = WholeHours(query) is var (firstHour, endHour)
            ? await CountWithHoursAsync(scope, command, tenantId, query.From!.Value, query.To!.Value, firstHour, endHour, wanted, columns.ToString(), pairs.ToString(), cancellationToken).ConfigureAwait(false)
            : $"""
                SELECT v.field, v.value, count(*) AS n
                FROM ({Select(command, tenantId, query, columns.ToString(), await LeafSpanAsync(scope, tenantId, query, cancellationToken).ConfigureAwait(false))}) f
                CROSS JOIN LATERAL (VALUES {pairs}) AS v(field, value)
                WHERE v.value IS NOT NULL
                GROUP BY v.field, v.value
                """;
        command.CommandText = $"""
            SELECT field, value, n FROM (
                SELECT field, value, sum(n)::bigint AS n, row_number() OVER (PARTITION BY field ORDER BY sum(n) DESC, value) AS rank
                FROM ({counted}) c
                GROUP BY field, value) ranked
            WHERE rank <= @top
            """;
        command.Parameters.Add(new NpgsqlParameter<int>("top", Math.Clamp(top, 1, MaxFacetValues)));

        var total = 0L;
        var values = wanted.ToDictionary(f => f, _ => new List<LedgerIndexFacetValue>());
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var field = reader.GetInt32(0);
                if (field < 0)
                {
                    total = reader.GetInt64(2);
                }
                else
                {
                    values[(LedgerIndexFacetField)field].Add(new LedgerIndexFacetValue(reader.GetString(1), reader.GetInt64(2)));
                }
            }
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LedgerIndexFacets(total, values.ToDictionary(
            p => p.Key,
            p => (IReadOnlyList<LedgerIndexFacetValue>)[.. p.Value.OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal)]));
    }

    /// <inheritdoc />
    public async Task<LedgerIndexTimeRange?> GetTimeRangeAsync(string tenantId, LedgerIndexQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var scope = await TenantTransaction.BeginAsync(_dataSource, ReaderRole, tenantId, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command(string.Empty);
        command.CommandText = Select(command, tenantId, query, "min(time), max(time)", span: null).ToString();
        LedgerIndexTimeRange? range = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0))
            {
                range = new LedgerIndexTimeRange(
                    new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero));
            }
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return range;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerIndexBucket>> CountByTimeAsync(
        string tenantId, LedgerIndexQuery query, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucket, TimeSpan.FromSeconds(1));
        // PostgreSQL keeps microseconds; a start with finer ticks would never equal the buckets it returns.
        from = new DateTimeOffset(from.UtcTicks - (from.UtcTicks % 10), TimeSpan.Zero);
        var count = (long)Math.Ceiling((to - from) / bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxBuckets);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        await using var scope = await TenantTransaction.BeginAsync(_dataSource, ReaderRole, tenantId, cancellationToken).ConfigureAwait(false);
        // The range narrows the query; the query's own from/to still apply (the API passes the same ones).
        var ranged = query with { From = Later(query.From, from), To = Earlier(query.To, to) };
        await using var command = scope.Command(string.Empty);
        // No leaf span here: every row of the range is counted, and the time index reads them without the table.
        var filtered = Select(command, tenantId, ranged, "time", span: null);
        command.CommandText = $"SELECT date_bin(@bucket, f.time, @origin) AS start, count(*) FROM ({filtered}) f GROUP BY start";
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("bucket", bucket) { NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("origin", from.UtcDateTime));

        var counts = new Dictionary<DateTimeOffset, long>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero)] = reader.GetInt64(1);
            }
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        var buckets = new List<LedgerIndexBucket>((int)count);
        var origin = from.ToUniversalTime();
        for (var i = 0; i < count; i++)
        {
            var start = origin + (bucket * i);
            buckets.Add(new LedgerIndexBucket(start, counts.GetValueOrDefault(start)));
        }

        return buckets;
    }

    private static string FacetColumn(LedgerIndexFacetField field) => field switch
    {
        LedgerIndexFacetField.Kind => "kind",
        LedgerIndexFacetField.StatementClass => "statement_class",
        LedgerIndexFacetField.Endpoint => "endpoint_id",
        LedgerIndexFacetField.DatabaseUser => "database_user",
        LedgerIndexFacetField.Person => "person",
        LedgerIndexFacetField.SqlState => "sqlstate",
        LedgerIndexFacetField.CommandTag => "command_tag",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a facet field"),
    };

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private static DateTimeOffset Earlier(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
