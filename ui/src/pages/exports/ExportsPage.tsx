import { useEffect, useState, type FormEvent } from 'react';
import { api, withQuery } from '../../api/client';
import { ErrorBanner, CodeBlock, Empty, Field, formatNumber, formatTime, Loading, PageHeader } from '../../components/ui';
import { useApi } from '../../components/useApi';
import type { Job } from '../integrity/VerificationPanel';

interface ExportJob extends Job {
  created: string;
  requestedBy?: string | null;
  query?: Record<string, unknown> | null;
  export?: { events: number; fromSize: number; toSize: number; bytes: number; sha256: string; truncated: boolean; deleted: boolean } | null;
  download?: string | null;
}

/** Local date-time input value (yyyy-MM-ddTHH:mm) for a Date. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The export request for a form: a time range and, optionally, a search. */
export function exportBody(from: string, to: string, q: string, endpoint: string): Record<string, string> {
  const body: Record<string, string> = {};
  if (from) body.from = new Date(from).toISOString();
  if (to) body.to = new Date(to).toISOString();
  if (q.trim()) body.q = q.trim();
  if (endpoint.trim()) body.endpoint = endpoint.trim();
  return body;
}

/** Compliance bundles (events, blocks, checkpoints, proofs, keys, README) and spreadsheet/SIEM downloads. */
export function ExportsPage() {
  const now = new Date();
  const [from, setFrom] = useState(toLocalInput(new Date(now.getTime() - 86400_000)));
  const [to, setTo] = useState(toLocalInput(now));
  const [q, setQ] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [creating, setCreating] = useState(false);
  const list = useApi((signal) => api<{ items: ExportJob[] }>('/exports', { query: { limit: 20 }, signal }), []);
  const active = list.data?.items.some((j) => j.status === 'queued' || j.status === 'running');

  useEffect(() => {
    if (!active) return;
    const timer = window.setTimeout(list.reload, 1000);
    return () => window.clearTimeout(timer);
  }, [active, list.data, list.reload]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setCreating(true);
    setError(undefined);
    try {
      await api<ExportJob>('/exports', { method: 'POST', body: exportBody(from, to, q, endpoint) });
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setCreating(false);
    }
  }

  const filters = exportBody(from, to, q, endpoint);
  return (
    <>
      <PageHeader title="Exports" subtitle="Evidence for auditors, verifiable offline; and the same events for spreadsheets and SIEMs." />
      <form className="card export-form" onSubmit={create}>
        <h2>New compliance bundle</h2>
        <div className="row">
          <Field label="From" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          <Field label="To" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="row">
          <Field label="Search (optional)" value={q} onChange={(e) => setQ(e.target.value)} hint="Full text over the SQL, as in the explorer." />
          <Field label="Endpoint (optional)" value={endpoint} onChange={(e) => setEndpoint(e.target.value)} />
        </div>
        <ErrorBanner error={error} />
        <div className="actions">
          <button className="button button-primary" type="submit" disabled={creating}>
            {creating ? 'Starting…' : 'Create bundle'}
          </button>
          <a className="button" href={withQuery('/api/v1/events/export', { ...filters, format: 'csv' })} download>
            Download CSV
          </a>
          <a className="button" href={withQuery('/api/v1/events/export', { ...filters, format: 'jsonl' })} download>
            Download JSON Lines
          </a>
        </div>
      </form>
      <h2>Bundles</h2>
      <ErrorBanner error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <Empty>No bundles yet.</Empty>}
      {list.data && list.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Requested</th>
              <th scope="col">Status</th>
              <th scope="col">Events</th>
              <th scope="col">Size</th>
              <th scope="col">SHA-256</th>
              <th scope="col">Download</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((job) => (
              <tr key={job.id} data-job={job.id}>
                <td>
                  {formatTime(job.created)} <span className="muted">{job.requestedBy}</span>
                </td>
                <td aria-live="polite">
                  {job.status === 'running' || job.status === 'queued' ? (
                    <>
                      <progress max={100} value={job.progress?.percent ?? 0} aria-label="Export progress" /> {job.progress?.percent ?? 0}%
                    </>
                  ) : job.status === 'failed' ? (
                    <span className="badge badge-danger" title={job.error ?? ''}>
                      failed: {job.error}
                    </span>
                  ) : (
                    <span className="badge badge-ok">done</span>
                  )}
                </td>
                <td>
                  {formatNumber(job.export?.events)}
                  {job.export?.truncated && <span className="badge badge-warn">truncated</span>}
                </td>
                <td>{job.export ? `${formatNumber(Math.ceil(job.export.bytes / 1024))} KB` : ''}</td>
                <td className="mono" title={job.export?.sha256}>
                  {job.export?.sha256.slice(0, 12)}
                </td>
                <td>
                  {job.export?.deleted ? (
                    <span className="muted">deleted after the retention period</span>
                  ) : job.status === 'done' ? (
                    <a href={`/api/v1/exports/${encodeURIComponent(job.id)}/download`} download>
                      Download bundle
                    </a>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Verify a bundle offline</h2>
      <p>
        A bundle is a tar file: the matching events, the blocks and signed checkpoints that cover them, an inclusion proof per event, the public
        keys, a manifest and a README with these steps. An auditor needs nothing from us but the public keys: <code>tenants-verify</code> checks
        every signature, the checkpoint chain, that the blocks rebuild the signed roots and that no entry is missing, extra or out of order, and
        ends with <code>VALID</code> (exit code 0) or <code>INVALID</code> and the first bad place (exit code 1).
      </p>
      <CodeBlock
        label="shell"
        code={`curl -s ${window.location.origin}/.well-known/tenants/ledger-keys > keys.json\ntenants-verify --bundle <bundle>.tar --tenant <tenant id> --origin <ledger origin> --keys keys.json`}
      />
      <p className="muted">Fetch the keys yourself rather than trusting the bundle's copy, and compare the file's SHA-256 (sha256sum) with the one shown above.</p>
    </>
  );
}
