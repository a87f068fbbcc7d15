import { api } from '../../api/client';
import type { SessionItem } from '../../api/models';
import { Link, useSearchParams } from '../../app/router';
import { Empty, ErrorBanner, formatNumber, formatTime, Loading, PageHeader } from '../../components/ui';
import { useApi } from '../../components/useApi';

const filters = ['endpoint', 'user', 'person', 'database', 'state', 'login'] as const;

/** Sessions newest first, filtered by the URL (endpoint, user, person, database, state, login). */
export function SessionsPage() {
  const [params, setParams] = useSearchParams();
  const query: Record<string, string> = {};
  for (const f of filters) {
    const v = params.get(f);
    if (v) query[f] = v;
  }
  const key = JSON.stringify(query);
  const { data, error, loading } = useApi((signal) => api<{ items: SessionItem[] }>('/sessions', { query: { ...query, limit: 100 }, signal }), [key]);

  return (
    <>
      <PageHeader title="Sessions" subtitle="Every connection through your endpoints, with what it did." />
      <form
        className="explorer-search"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const next: Record<string, string> = {};
          for (const f of filters) {
            const v = String(form.get(f) ?? '').trim();
            if (v) next[f] = v;
          }
          setParams(next, { push: true });
        }}
      >
        <input name="endpoint" aria-label="Endpoint" placeholder="endpoint" defaultValue={query.endpoint} />
        <input name="user" aria-label="Database user" placeholder="database user" defaultValue={query.user} />
        <input name="person" aria-label="Person" placeholder="person" defaultValue={query.person} />
        <select name="state" aria-label="State" defaultValue={query.state ?? ''}>
          <option value="">open or ended</option>
          <option value="open">open</option>
          <option value="ended">ended</option>
        </select>
        <select name="login" aria-label="Login" defaultValue={query.login ?? ''}>
          <option value="">any login</option>
          <option value="succeeded">succeeded</option>
          <option value="failed">failed</option>
          <option value="refused">refused</option>
        </select>
        <button className="button button-primary" type="submit">
          Filter
        </button>
      </form>
      <ErrorBanner error={error} />
      {loading && !data && <Loading />}
      {data && data.items.length === 0 && <Empty>No sessions match.</Empty>}
      {data && data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Endpoint</th>
              <th scope="col">Who</th>
              <th scope="col">Client</th>
              <th scope="col">Login</th>
              <th scope="col">Statements</th>
              <th scope="col">Errors</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((s) => (
              <tr key={s.sessionId}>
                <td>
                  <Link to={`/sessions/${encodeURIComponent(s.sessionId)}`}>{formatTime(s.firstEventTime)}</Link>
                </td>
                <td>{s.endpoint}</td>
                <td>
                  {s.person ? `${s.person} as ` : ''}
                  {s.user} {s.database && <span className="muted">on {s.database}</span>}
                </td>
                <td>
                  {s.clientAddress} {s.applicationName && <span className="muted">({s.applicationName})</span>}
                </td>
                <td>{s.login}</td>
                <td>{formatNumber(s.statements)}</td>
                <td>{formatNumber(s.errors)}</td>
                <td>{s.ended ? `ended ${formatTime(s.endedTime)}` : 'open'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
