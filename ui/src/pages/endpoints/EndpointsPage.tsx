import { api } from '../../api/client';
import type { Endpoint } from '../../api/models';
import { useAuth } from '../../app/auth';
import { Link } from '../../app/router';
import { Empty, ErrorBanner, formatNumber, formatTime, Loading, PageHeader } from '../../components/ui';
import { useApi } from '../../components/useApi';
import './endpoints.css';

/** Every endpoint with its live status (the list API leaves status out; each endpoint is asked for its own). */
export function EndpointsPage() {
  const { can } = useAuth();
  const { data, error, loading } = useApi(async (signal) => {
    const list = await api<{ items: Endpoint[] }>('/endpoints', { signal });
    return Promise.all(list.items.map((e) => api<Endpoint>(`/endpoints/${encodeURIComponent(e.id)}`, { signal }).catch(() => e)));
  }, []);
  const connect = can('endpoints:write') && (
    <Link className="button button-primary" to="/endpoints/new">
      Connect a database
    </Link>
  );

  return (
    <>
      <PageHeader title="Endpoints" subtitle="Each endpoint is one database, reached through the audited proxy." actions={connect} />
      <ErrorBanner error={error} />
      {loading && !data && <Loading />}
      {data && data.length === 0 && (
        <Empty>
          No endpoints yet. {connect ? <>Connect a database to start recording: {connect}</> : 'Ask an admin to connect a database.'}
        </Empty>
      )}
      {data && data.length > 0 && (
        <table className="table endpoint-list">
          <thead>
            <tr>
              <th scope="col">Endpoint</th>
              <th scope="col">Database server</th>
              <th scope="col">State</th>
              <th scope="col">Sessions now</th>
              <th scope="col">Statements / min</th>
              <th scope="col">Last event</th>
            </tr>
          </thead>
          <tbody>
            {data.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link to={`/endpoints/${encodeURIComponent(e.id)}`}>{e.id}</Link>
                </td>
                <td className="mono">
                  {e.upstreamHost}:{e.upstreamPort}
                  {e.defaultDatabase ? `/${e.defaultDatabase}` : ''}
                </td>
                <td>
                  <span className={`badge ${e.enabled ? 'badge-ok' : 'badge-warn'}`}>{e.enabled ? 'enabled' : 'disabled'}</span>
                  {e.broker && <span className="badge">brokered</span>}
                </td>
                <td>{formatNumber(e.status?.openSessions)}</td>
                <td>{formatNumber(e.status?.statementsLastMinute)}</td>
                <td>{formatTime(e.status?.lastEventTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
