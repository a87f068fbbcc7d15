import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { EventItem, EventPage, Facets, Histogram as HistogramData } from '../../api/models';
import { Link, useNavigate, useSearchParams } from '../../app/router';
import { Histogram } from '../../components/Histogram';
import { ErrorBanner, formatNumber, Loading, PageHeader } from '../../components/ui';
import { VirtualRows } from '../../components/VirtualRows';
import { EventRow, EventRowHeader } from './EventRow';
import { apiFilters, facetFilter, parseQuery, presets, sorts, toParams, type ExplorerQuery, type FilterKey } from './query';
import './explorer.css';

const pageSize = 200;

const filterLabels: Partial<Record<FilterKey, string>> = {
  endpoint: 'Endpoint',
  user: 'Database user',
  person: 'Person',
  database: 'Database',
  class: 'Class',
  kind: 'Kind',
  sqlstate: 'SQLSTATE',
  tag: 'Command',
  session: 'Session',
  client: 'Client',
  application: 'Application',
  fingerprint: 'Fingerprint',
  minDurationMicros: 'Min duration (µs)',
  minRows: 'Min rows',
};

/** Search over the tenant's audit trail: full text, filters, facets, a brushable histogram, and every match. */
export function ExplorerPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const query = useMemo(() => parseQuery(params), [params]);
  const key = toParams(query).toString();
  const [text, setText] = useState(query.filters.q ?? '');
  const [rows, setRows] = useState<EventItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [facets, setFacets] = useState<Facets | null>(null);
  const [histogram, setHistogram] = useState<HistogramData | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const [addKey, setAddKey] = useState<FilterKey>('endpoint');
  const [addValue, setAddValue] = useState('');
  const loadingMore = useRef(false);
  const filtersRef = useRef<Record<string, string>>({});

  const go = useCallback((next: ExplorerQuery, push = true) => setParams(toParams(next), { push }), [setParams]);

  useEffect(() => setText(query.filters.q ?? ''), [query.filters.q]);

  useEffect(() => {
    const controller = new AbortController();
    const filters = apiFilters(query, new Date());
    filtersRef.current = filters;
    setLoading(true);
    setError(undefined);
    Promise.all([
      api<EventPage>('/events', { query: { ...filters, sort: query.sort, limit: pageSize }, signal: controller.signal }),
      api<Facets>('/events/facets', { query: { ...filters, top: 8 }, signal: controller.signal }),
      api<HistogramData>('/events/histogram', { query: filters, signal: controller.signal }),
    ])
      .then(([page, f, h]) => {
        setRows(page.items);
        setCursor(page.cursor ?? null);
        setFacets(f);
        setHistogram(h);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) {
          setError(e);
          setRows([]);
          setFacets(null);
          setHistogram(null);
        }
      })
      .finally(() => !controller.signal.aborted && setLoading(false));
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore.current) return;
    loadingMore.current = true;
    api<EventPage>('/events', { query: { ...filtersRef.current, sort: query.sort, limit: pageSize, cursor } })
      .then((page) => {
        setRows((r) => [...r, ...page.items]);
        setCursor(page.cursor ?? null);
      })
      .catch(setError)
      .finally(() => {
        loadingMore.current = false;
      });
  }, [cursor, query.sort]);

  const setFilter = (k: FilterKey, value: string | undefined) => go({ ...query, filters: { ...query.filters, [k]: value } });

  function submit(event: FormEvent) {
    event.preventDefault();
    go({ ...query, filters: { ...query.filters, q: text.trim() || undefined } });
  }

  const active = Object.entries(query.filters).filter(([k, v]) => k !== 'q' && v) as [FilterKey, string][];

  return (
    <>
      <PageHeader title="Explorer" subtitle="Every statement, login and session event of your endpoints, searchable." />
      <form className="explorer-search" onSubmit={submit} role="search">
        <label className="visually-hidden" htmlFor="explorer-q">
          Search the SQL
        </label>
        <input id="explorer-q" type="search" placeholder='Search the SQL, e.g. orders -select or "drop table"' value={text} onChange={(e) => setText(e.target.value)} />
        <label className="visually-hidden" htmlFor="explorer-range">
          Time range
        </label>
        <select
          id="explorer-range"
          value={query.range}
          onChange={(e) => go({ ...query, range: e.target.value, from: undefined, to: undefined })}
        >
          {Object.entries(presets).map(([k, p]) => (
            <option key={k} value={k}>
              {p.label}
            </option>
          ))}
          <option value="all">All time</option>
          {query.range === 'custom' && <option value="custom">Selected range</option>}
        </select>
        <label className="visually-hidden" htmlFor="explorer-sort">
          Sort
        </label>
        <select id="explorer-sort" value={query.sort} onChange={(e) => go({ ...query, sort: e.target.value }, false)}>
          {Object.entries(sorts).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
        <button className="button button-primary" type="submit">
          Search
        </button>
      </form>
      <div className="explorer-filters">
        {query.range === 'custom' && (
          <span className="chip">
            {query.from ? new Date(query.from).toLocaleString() : '…'} – {query.to ? new Date(query.to).toLocaleString() : 'now'}
            <button type="button" aria-label="Remove the time range" onClick={() => go({ ...query, range: '24h', from: undefined, to: undefined })}>
              ×
            </button>
          </span>
        )}
        {active.map(([k, v]) => (
          <span className="chip" key={k}>
            {filterLabels[k] ?? k}: <strong>{v}</strong>
            <button type="button" aria-label={`Remove filter ${filterLabels[k] ?? k}`} onClick={() => setFilter(k, undefined)}>
              ×
            </button>
          </span>
        ))}
        <form
          className="add-filter"
          onSubmit={(e) => {
            e.preventDefault();
            if (addValue.trim()) setFilter(addKey, addValue.trim());
            setAddValue('');
          }}
        >
          <label className="visually-hidden" htmlFor="filter-key">
            Filter on
          </label>
          <select id="filter-key" value={addKey} onChange={(e) => setAddKey(e.target.value as FilterKey)}>
            {Object.entries(filterLabels).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor="filter-value">
            Filter value
          </label>
          <input id="filter-value" placeholder="value" value={addValue} onChange={(e) => setAddValue(e.target.value)} />
          <button className="button button-small" type="submit">
            Add filter
          </button>
        </form>
      </div>
      <ErrorBanner error={error} title="The search failed." />
      <div className="explorer-body">
        <aside className="facets" aria-label="Facets">
          {facets &&
            Object.entries(facets.facets).map(([field, values]) =>
              values.length === 0 ? null : (
                <section key={field}>
                  <h3>{filterLabels[facetFilter[field] ?? 'kind'] ?? field}</h3>
                  <ul>
                    {values.map((v) => (
                      <li key={v.value}>
                        <button type="button" className="facet" aria-pressed={query.filters[facetFilter[field]!] === v.value} onClick={() => setFilter(facetFilter[field]!, v.value)}>
                          <span className="facet-value">{v.value}</span>
                          <span className="facet-count">{formatNumber(v.count)}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                </section>
              ),
            )}
        </aside>
        <section className="results" aria-labelledby="results-title">
          <h2 id="results-title" aria-live="polite">
            {loading ? 'Searching…' : `${formatNumber(facets?.total ?? rows.length)} matching events`}
          </h2>
          {histogram && (
            <Histogram
              label="Matching events over time"
              buckets={histogram.buckets}
              bucketSeconds={histogram.bucketSeconds}
              onSelect={(from, to) => go({ ...query, range: 'custom', from: from.toISOString(), to: to.toISOString() })}
            />
          )}
          {loading && rows.length === 0 ? (
            <Loading />
          ) : rows.length === 0 ? (
            <p className="empty">Nothing matches. Widen the time range or remove a filter.</p>
          ) : (
            <VirtualRows
              label="Matching events"
              rows={rows}
              rowHeight={34}
              height={560}
              header={<EventRowHeader />}
              onNearEnd={loadMore}
              renderRow={(event) => <EventRow event={event} onOpen={() => navigate(`/events/${encodeURIComponent(event.id)}`)} />}
            />
          )}
          {cursor && rows.length > 0 && (
            <p className="muted">
              {formatNumber(rows.length)} loaded; scroll for more, or <Link to={`/exports`}>export</Link> the whole result.
            </p>
          )}
        </section>
      </div>
    </>
  );
}
