import { useState } from 'react';
import { api } from '../../api/client';
import type { EventItem } from '../../api/models';
import { Link } from '../../app/router';
import { ErrorBanner, formatTime, Loading, PageHeader } from '../../components/ui';
import { useApi } from '../../components/useApi';
import { formatDuration, outcome } from './EventRow';
import './explorer.css';

interface Timeline {
  items: EventItem[];
  next?: number | string | null;
}

/** One session's events in ledger order, page by page. */
export function SessionPage({ id }: { id: string }) {
  const path = `/sessions/${encodeURIComponent(id)}/timeline`;
  const { data, error, loading } = useApi((signal) => api<Timeline>(path, { query: { limit: 200 }, signal }), [path]);
  const [more, setMore] = useState<EventItem[]>([]);
  const [next, setNext] = useState<Timeline['next'] | undefined>(undefined);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  if (loading && !data) return <Loading />;
  if (!data) return <ErrorBanner error={error} title="This session could not be loaded." />;
  const items = [...data.items, ...more];
  const cursor = next === undefined ? data.next : next;
  const first = items[0];

  return (
    <>
      <PageHeader
        title={`Session on ${first?.endpoint ?? ''}`}
        subtitle={first ? `${first.person ? `${first.person} as ` : ''}${first.user ?? ''} from ${first.clientAddress ?? 'unknown'} · ${formatTime(first.time)}` : id}
      />
      <ol className="timeline">
        {items.map((e) => {
          const result = outcome(e);
          return (
            <li key={e.id}>
              <span className="mono muted">{new Date(e.time).toLocaleTimeString()}</span>{' '}
              <span className={`badge ${result.tone ? `badge-${result.tone}` : ''}`}>{result.text}</span>{' '}
              <Link to={`/events/${encodeURIComponent(e.id)}`} className="mono">
                {e.sql ?? e.kind.replace(/_/g, ' ')}
              </Link>{' '}
              <span className="muted">
                {e.rows !== null && e.rows !== undefined ? `${e.rows} rows ` : ''}
                {formatDuration(e.durationMicros)}
              </span>
            </li>
          );
        })}
      </ol>
      <ErrorBanner error={moreError} />
      {cursor !== null && cursor !== undefined && (
        <button
          type="button"
          className="button"
          onClick={() =>
            api<Timeline>(path, { query: { limit: 200, after: String(cursor) } })
              .then((page) => {
                setMore((m) => [...m, ...page.items]);
                setNext(page.next ?? null);
              })
              .catch(setMoreError)
          }
        >
          Load more
        </button>
      )}
    </>
  );
}
