import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { ErrorBanner, formatNumber } from '../../components/ui';

export interface Job {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  error?: string | null;
  progress?: { entriesChecked: number; entriesTotal: number; blocksChecked: number; blocksTotal: number; percent: number } | null;
  verification?: {
    valid: boolean;
    treeSize: number;
    entriesChecked: number;
    blocksChecked: number;
    checkpointsChecked: number;
    firstProblem?: { location?: string; leafIndex?: number; line?: string; message?: string } | null;
    summary?: string;
  } | null;
}

/** Polls a job until it is done or failed; stops when the page goes away. */
export function usePolledJob(path: string | null, intervalMs = 1000): Job | null {
  const [job, setJob] = useState<Job | null>(null);
  useEffect(() => {
    if (!path) return;
    let stopped = false;
    let timer: number | undefined;
    const tick = async () => {
      try {
        const next = await api<Job>(path);
        if (stopped) return;
        setJob(next);
        if (next.status === 'queued' || next.status === 'running') timer = window.setTimeout(tick, intervalMs);
      } catch {
        if (!stopped) timer = window.setTimeout(tick, intervalMs * 2);
      }
    };
    void tick();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [path, intervalMs]);
  return job;
}

export function VerificationPanel() {
  const [jobPath, setJobPath] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [starting, setStarting] = useState(false);
  const job = usePolledJob(jobPath);
  const started = useRef(false);
  const running = starting || job?.status === 'queued' || job?.status === 'running';

  async function start() {
    setStarting(true);
    setError(undefined);
    try {
      const created = await api<Job>('/ledger/verifications', { method: 'POST' });
      started.current = true;
      setJobPath(`/ledger/verifications/${encodeURIComponent(created.id)}`);
    } catch (e) {
      setError(e);
    } finally {
      setStarting(false);
    }
  }

  const percent = job?.progress?.percent ?? 0;
  const v = job?.verification;
  return (
    <section aria-labelledby="verify-title">
      <h2 id="verify-title">Verify the whole ledger</h2>
      <p className="muted">Re-reads every block and checkpoint from storage and checks every hash, signature and the checkpoint chain.</p>
      <button type="button" className="button button-primary" onClick={start} disabled={running}>
        {running ? 'Verifying…' : 'Verify the whole ledger'}
      </button>
      <ErrorBanner error={error} />
      <div aria-live="polite" className="verify-status">
        {job && (job.status === 'queued' || job.status === 'running') && (
          <>
            <progress max={100} value={percent} aria-label="Verification progress" /> {percent}% ·{' '}
            {formatNumber(job.progress?.entriesChecked)} of {formatNumber(job.progress?.entriesTotal)} entries
          </>
        )}
        {job?.status === 'failed' && <div className="banner banner-error">The verification could not finish: {job.error}</div>}
        {job?.status === 'done' && v && (
          <div className={`banner ${v.valid ? 'banner-ok' : 'banner-error'}`}>
            <strong>{v.valid ? 'VALID' : 'INVALID'}</strong>: {formatNumber(v.entriesChecked)} entries, {formatNumber(v.blocksChecked)} blocks and{' '}
            {formatNumber(v.checkpointsChecked)} checkpoints checked.
            {v.firstProblem && (
              <div>
                First problem{v.firstProblem.leafIndex !== undefined ? ` at entry ${v.firstProblem.leafIndex}` : ''}: {v.firstProblem.message}{' '}
                {v.firstProblem.location && <span className="mono">({v.firstProblem.location})</span>}
              </div>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
