import { api } from '../../api/client';
import type { EventDetail } from '../../api/models';
import { Link } from '../../app/router';
import { ErrorBanner, formatNumber, formatTime, Loading, PageHeader } from '../../components/ui';
import { useApi } from '../../components/useApi';
import { formatDuration, outcome } from './EventRow';
import { formatSql } from './sqlFormat';
import './explorer.css';

/** One event: what ran, with what, what came back, what policy did, and the sealed ledger line that proves it. */
export function EventPage({ id }: { id: string }) {
  const { data, error, loading } = useApi((signal) => api<EventDetail>(`/events/${encodeURIComponent(id)}`, { signal }), [id]);
  if (loading && !data) return <Loading />;
  if (!data) return <ErrorBanner error={error} title="This event could not be loaded." />;
  const e = data.event;
  const result = outcome(e);

  return (
    <>
      <PageHeader
        title={e.kind === 'statement' ? `${e.commandTag ?? e.statementClass ?? 'Statement'} on ${e.endpoint}` : `${e.kind.replace(/_/g, ' ')} on ${e.endpoint}`}
        subtitle={`${formatTime(e.time)} · ledger entry #${e.index}`}
        actions={
          <>
            <Link className="button" to={`/sessions/${encodeURIComponent(e.session)}`}>
              Session timeline
            </Link>
            <Link className="button button-primary" to={`/integrity?index=${e.index}`}>
              Prove it
            </Link>
          </>
        }
      />
      {e.policyDecision && (
        <div className={`banner ${e.policyDecision === 'denied' ? 'banner-error' : 'banner-warn'}`} role="note">
          Policy <strong>{e.policyDecision}</strong> this statement: rule <code>{e.policyRule}</code>, policy version {e.policyVersion}{' '}
          (<Link to="/policies">see policies</Link>).
        </div>
      )}
      {e.sql && (
        <section aria-labelledby="sql-title">
          <h2 id="sql-title">SQL</h2>
          <pre className="sql">
            <code>{formatSql(e.sql)}</code>
          </pre>
        </section>
      )}
      {e.parameters && e.parameters.length > 0 && (
        <section aria-labelledby="params-title">
          <h2 id="params-title">Parameters</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {e.parameters.map((p, i) => (
                <tr key={i}>
                  <td>${i + 1}</td>
                  <td className="mono">{p === null ? <span className="muted">NULL</span> : p}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <h2>Result and context</h2>
      <dl className="facts card">
        <dt>Result</dt>
        <dd>
          <span className={`badge ${result.tone ? `badge-${result.tone}` : ''}`}>{result.text}</span> {e.message}
        </dd>
        {e.rows !== undefined && e.rows !== null && (
          <>
            <dt>Rows</dt>
            <dd>{formatNumber(e.rows)}</dd>
          </>
        )}
        {e.durationMicros !== undefined && e.durationMicros !== null && (
          <>
            <dt>Duration</dt>
            <dd>{formatDuration(e.durationMicros)} (first byte to completion)</dd>
          </>
        )}
        <dt>Database user</dt>
        <dd>{e.user ?? '–'}</dd>
        {e.person && (
          <>
            <dt>Person</dt>
            <dd>{e.person}</dd>
          </>
        )}
        <dt>Database</dt>
        <dd>{e.database ?? '–'}</dd>
        <dt>Client</dt>
        <dd>
          {e.clientAddress ?? '–'} {e.applicationName && <span className="muted">({e.applicationName})</span>}
        </dd>
        <dt>Protocol</dt>
        <dd>{e.protocol ?? '–'}</dd>
        {e.fingerprint && (
          <>
            <dt>Fingerprint</dt>
            <dd>
              <Link to={`/explorer?fingerprint=${e.fingerprint}&range=30d`}>{e.fingerprint}</Link> (statements of the same shape)
            </dd>
          </>
        )}
        {e.copyDirection && (
          <>
            <dt>COPY</dt>
            <dd>
              {e.copyDirection}, {formatNumber(e.copyBytes)} bytes, SHA-256 <code>{e.copySha256}</code>
            </dd>
          </>
        )}
        <dt>Session</dt>
        <dd>
          <Link to={`/sessions/${encodeURIComponent(e.session)}`}>{e.session}</Link>
        </dd>
        <dt>Event id</dt>
        <dd className="mono">{e.id}</dd>
      </dl>
      <section aria-labelledby="entry-title">
        <h2 id="entry-title">Sealed ledger entry</h2>
        <p className="muted">
          The exact bytes hashed into the ledger{data.block ? ` (block ${data.block.firstIndex}–${data.block.lastIndex})` : ''}. “Prove it” checks them against
          a signed checkpoint in your browser.
        </p>
        <pre className="sql entry">
          <code>{data.entry}</code>
        </pre>
      </section>
    </>
  );
}
