import { api } from '../../api/client';
import type { EventItem, EventPage, Facets, Histogram as HistogramData } from '../../api/models';
import { Link, useNavigate } from '../../app/router';
import { Histogram } from '../../components/Histogram';
import { Empty, ErrorBanner, formatNumber, Loading, PageHeader } from '../../components/ui';
import { useApi } from '../../components/useApi';
import { errorRate, topStatements } from './dashboard';


const sampleSize = 1000;

interface DashboardData {
  endpoints: number;
  histogram: HistogramData;
  facets: Facets;
  statements: number;
  errors: number;
  recent: EventItem[];
  blocked: EventItem[];
}

async function load(signal: AbortSignal): Promise<DashboardData> {
  const from = new Date(Date.now() - 86400_000).toISOString();
  const [endpoints, histogram, facets, recent, denied] = await Promise.all([
    api<{ items: unknown[] }>('/endpoints', { signal }),
    api<HistogramData>('/events/histogram', { query: { from, bucket: '1h' }, signal }),
    api<Facets>('/events/facets', { query: { from, fields: 'kind,sqlstate', top: 100 }, signal }),
    api<EventPage>('/events', { query: { from, kind: 'statement', limit: sampleSize }, signal }),
    // Blocked statements are answered with SQLSTATE 42501 and carry the policy decision.
    api<EventPage>('/events', { query: { from, sqlstate: '42501', limit: 100 }, signal }),
  ]);
  const statements = facets.facets.kind?.find((k) => k.value === 'statement')?.count ?? 0;
  const errors = (facets.facets.sqlstate ?? []).reduce((sum, s) => sum + s.count, 0);
  return {
    endpoints: endpoints.items.length,
    histogram,
    facets,
    statements,
    errors,
    recent: recent.items,
    blocked: denied.items.filter((e) => e.policyDecision === 'denied').slice(0, 10),
  };
}

/** The last 24 hours at a glance: activity, errors, what policy blocked, the busiest statements. */
export function DashboardPage() {
  const navigate = useNavigate();
  const { data, error, loading } = useApi(load, []);
  if (loading && !data) return <Loading />;
  if (!data) return <ErrorBanner error={error} title="The dashboard could not be loaded." />;
  if (data.endpoints === 0) {
    return (
      <>
        <PageHeader title="Welcome to Tenants" />
        <Empty>
          Nothing is recorded yet. <Link to="/endpoints/new">Connect a database</Link>, point a client at the address you get, and every statement
          shows up here.
        </Empty>
      </>
    );
  }
  const rate = errorRate(data.statements, data.errors);
  const top = topStatements(data.recent);

  return (
    <>
      <PageHeader title="Dashboard" subtitle="The last 24 hours." />
      <div className="cards">
        <div className="card stat">
          <div className="muted">Events</div>
          <div className="value">{formatNumber(data.facets.total)}</div>
        </div>
        <div className="card stat">
          <div className="muted">Statements</div>
          <div className="value">{formatNumber(data.statements)}</div>
        </div>
        <div className="card stat">
          <div className="muted">Errors</div>
          <div className="value">{formatNumber(data.errors)}</div>
          <div className="muted">{rate === null ? '–' : `${rate} per 100 statements`}</div>
        </div>
        <div className="card stat">
          <div className="muted">Blocked by policy</div>
          <div className="value">{formatNumber(data.blocked.length)}</div>
          <div className="muted">{data.blocked.length === 10 ? 'latest 10 shown' : 'in 24 h'}</div>
        </div>
        <div className="card stat">
          <div className="muted">Endpoints</div>
          <div className="value">{formatNumber(data.endpoints)}</div>
        </div>
      </div>
      <h2>Activity</h2>
      <Histogram
        label="Events per hour"
        buckets={data.histogram.buckets}
        bucketSeconds={data.histogram.bucketSeconds}
        onSelect={(from, to) => navigate(`/explorer?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`)}
      />
      <div className="dashboard-grid">
        <section aria-labelledby="blocked-title">
          <h2 id="blocked-title">Recently blocked</h2>
          {data.blocked.length === 0 ? (
            <p className="muted">Nothing was blocked in the last 24 hours.</p>
          ) : (
            <ul className="samples">
              {data.blocked.map((e) => (
                <li key={e.id}>
                  <span className="badge badge-danger">blocked</span> <span className="mono">{e.policyRule}</span>{' '}
                  <Link className="mono" to={`/events/${encodeURIComponent(e.id)}`}>
                    {e.sql}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="top-title">
          <h2 id="top-title">Top statements</h2>
          <p className="muted">By fingerprint, in the latest {formatNumber(Math.min(sampleSize, data.recent.length))} statements.</p>
          {top.length === 0 ? (
            <p className="muted">No statements yet.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Statement</th>
                  <th scope="col">Runs</th>
                  <th scope="col">Errors</th>
                </tr>
              </thead>
              <tbody>
                {top.map((t) => (
                  <tr key={t.fingerprint}>
                    <td className="mono top-sql">
                      <Link to={`/explorer?fingerprint=${t.fingerprint}`}>{t.sql}</Link>
                    </td>
                    <td>{formatNumber(t.count)}</td>
                    <td>{formatNumber(t.errors)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}
