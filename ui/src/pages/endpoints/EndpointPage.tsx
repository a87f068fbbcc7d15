import { useState } from 'react';
import { api } from '../../api/client';
import type { ConnectionTest, Endpoint } from '../../api/models';
import { useAuth } from '../../app/auth';
import { Link, useNavigate } from '../../app/router';
import { ErrorBanner, formatNumber, formatTime, Loading, PageHeader } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useApi } from '../../components/useApi';
import { ConnectionStrings } from './ConnectionStrings';
import { ConnectionTestResult } from './ConnectionTestResult';
import './endpoints.css';

export function EndpointPage({ id }: { id: string }) {
  const { can } = useAuth();
  const navigate = useNavigate();
  const path = `/endpoints/${encodeURIComponent(id)}`;
  const { data, error, loading, reload } = useApi((signal) => api<Endpoint>(path, { signal }), [path]);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const { error: actionError, busy, run: act } = useAction();
  const writable = can('endpoints:write');

  if (loading && !data) return <Loading />;
  if (!data) return <ErrorBanner error={error} title="This endpoint could not be loaded." />;
  const e = data;

  return (
    <>
      <PageHeader
        title={`Endpoint ${e.id}`}
        subtitle={
          <>
            <span className={`badge ${e.deleted ? 'badge-danger' : e.enabled ? 'badge-ok' : 'badge-warn'}`}>{e.deleted ? 'deleted' : e.enabled ? 'enabled' : 'disabled'}</span>{' '}
            <Link to={`/explorer?endpoint=${encodeURIComponent(e.id)}`}>Its statements in the explorer</Link>
          </>
        }
        actions={
          writable &&
          !e.deleted && (
            <>
              <button type="button" className="button" disabled={!!busy} onClick={() => act('test', async () => setTest(await api<ConnectionTest>(`${path}/test`, { method: 'POST', body: {} })))}>
                {busy === 'test' ? 'Testing…' : 'Test connection'}
              </button>
              <button type="button" className="button" disabled={!!busy} onClick={() => act('toggle', async () => { await api(`${path}/${e.enabled ? 'disable' : 'enable'}`, { method: 'POST' }); reload(); })}>
                {e.enabled ? 'Disable' : 'Enable'}
              </button>
              <button
                type="button"
                className="button button-danger"
                disabled={!!busy}
                onClick={() => {
                  if (!window.confirm(`Delete endpoint ${e.id}? Clients can no longer connect; its audit history stays.`)) return;
                  void act('delete', async () => {
                    await api(path, { method: 'DELETE' });
                    navigate('/endpoints');
                  });
                }}
              >
                Delete
              </button>
            </>
          )
        }
      />
      <ErrorBanner error={actionError} />
      {test && <ConnectionTestResult result={test} />}
      <div className="cards">
        <div className="card stat">
          <div className="muted">Sessions now</div>
          <div className="value">{formatNumber(e.status?.openSessions)}</div>
        </div>
        <div className="card stat">
          <div className="muted">Statements in the last minute</div>
          <div className="value">{formatNumber(e.status?.statementsLastMinute)}</div>
        </div>
        <div className="card stat">
          <div className="muted">Last event</div>
          <div>{formatTime(e.status?.lastEventTime)}</div>
        </div>
      </div>
      <h2>Settings</h2>
      <dl className="facts card">
        <dt>Database server</dt>
        <dd className="mono">
          {e.upstreamHost}:{e.upstreamPort}
        </dd>
        <dt>Default database</dt>
        <dd>{e.defaultDatabase ?? '–'}</dd>
        <dt>TLS to the server</dt>
        <dd>
          {e.tlsMode}
          {e.hasCaCertificate ? ' (with CA certificate)' : ''}
        </dd>
        <dt>Sign-in</dt>
        <dd>{e.broker ? `brokered as ${e.broker.user} (password stored, sealed)` : 'passthrough: clients use their own database roles'}</dd>
        <dt>Connection limit</dt>
        <dd>{e.maxConnections === 0 ? 'none' : e.maxConnections}</dd>
        <dt>Durability</dt>
        <dd>{Object.entries(e.durability).map(([k, v]) => `${k} ${v}`).join(', ')}</dd>
        <dt>Created</dt>
        <dd>{formatTime(e.created)}</dd>
      </dl>
      {e.address && <ConnectionStrings address={e.address} />}
    </>
  );
}
