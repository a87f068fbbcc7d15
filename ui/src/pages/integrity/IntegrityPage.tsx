import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useSearchParams } from '../../app/router';
import { ErrorBanner, formatNumber, formatTime, Loading, PageHeader } from '../../components/ui';
import { useApi } from '../../components/useApi';
import type { PublishedKey } from './note';
import { proveInclusion, type InclusionProof, type ProofResult } from './prove';
import { VerificationPanel } from './VerificationPanel';
import './integrity.css';

interface LedgerStatus {
  origin: string;
  size: number;
  sealedSize: number;
  checkpointSize: number;
  checkpointRootHash?: string | null;
  checkpointTime?: string | null;
}

interface KeyList {
  keys: (PublishedKey & { version?: string | null; current: boolean; algorithm: string })[];
}

async function publishedKeys(): Promise<KeyList> {
  // The keys are public and served outside /api/v1, to anyone: the same list an outside auditor would use.
  const response = await fetch('/.well-known/tenants/ledger-keys', { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new ApiError(response.status, { title: 'The public keys could not be fetched.' });
  return (await response.json()) as KeyList;
}

/** Ledger status, a whole-ledger verification, and a per-entry proof checked in the browser. */
export function IntegrityPage() {
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const status = useApi((signal) => api<LedgerStatus>('/ledger', { signal }), []);
  const keys = useApi(() => publishedKeys(), []);
  const requested = params.get('index') ?? '';
  const [index, setIndex] = useState(requested);
  const [proving, setProving] = useState(false);
  const [result, setResult] = useState<ProofResult | null>(null);
  const [proofError, setProofError] = useState<unknown>(undefined);

  useEffect(() => {
    setIndex(requested);
    if (!requested || !me) return;
    let cancelled = false;
    setProving(true);
    setResult(null);
    setProofError(undefined);
    (async () => {
      const leaf = Number(requested);
      if (!Number.isSafeInteger(leaf) || leaf < 0) throw new Error('An entry index is a whole number from 0.');
      // Prove against the latest signed checkpoint; an entry newer than it is not covered yet.
      const ledger = await api<LedgerStatus>('/ledger');
      if (leaf >= ledger.checkpointSize) {
        throw new Error(`Entry ${leaf} is not covered by a signed checkpoint yet (the latest covers ${ledger.checkpointSize} entries). Checkpoints follow within seconds: try again shortly.`);
      }
      const [proof, list] = await Promise.all([api<InclusionProof>('/ledger/proofs/inclusion', { query: { index: leaf, size: ledger.checkpointSize } }), publishedKeys()]);
      return proveInclusion(proof, list.keys, me.tenant.tenantId, leaf);
    })()
      .then((r) => !cancelled && setResult(r))
      .catch((e: unknown) => !cancelled && setProofError(e))
      .finally(() => !cancelled && setProving(false));
    return () => {
      cancelled = true;
    };
  }, [requested, me]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setParams({ index: index.trim() }, { push: true });
  }

  const s = status.data;
  return (
    <>
      <PageHeader title="Integrity" subtitle="Check for yourself that the audit trail is complete and unaltered: the proofs are verified here, in your browser." />
      <ErrorBanner error={status.error} title="The ledger status could not be loaded." />
      {status.loading && !s && <Loading />}
      {s && (
        <div className="cards">
          <div className="card stat">
            <div className="muted">Entries</div>
            <div className="value">{formatNumber(s.size)}</div>
            <div className="muted">{formatNumber(s.sealedSize)} sealed in blocks</div>
          </div>
          <div className="card stat">
            <div className="muted">Last signed checkpoint</div>
            <div className="value">{formatNumber(s.checkpointSize)}</div>
            <div className="muted">{formatTime(s.checkpointTime)}</div>
          </div>
          <div className="card">
            <div className="muted">Origin</div>
            <div className="mono wrap">{s.origin}</div>
            <div className="muted">Root</div>
            <div className="mono wrap">{s.checkpointRootHash ?? '–'}</div>
          </div>
          <div className="card">
            <div className="muted">Signing keys</div>
            {keys.data?.keys.map((k) => (
              <div key={k.keyId} className="mono wrap">
                {k.keyId} {k.current && <span className="badge badge-ok">current</span>} <span className="muted">{k.algorithm}</span>
              </div>
            ))}
            <a href="/.well-known/tenants/ledger-keys">Public keys (JSON)</a>
          </div>
        </div>
      )}
      <VerificationPanel />
      <section aria-labelledby="prove-title">
        <h2 id="prove-title">Prove an entry</h2>
        <form className="prove-form" onSubmit={submit}>
          <label htmlFor="prove-index">Entry index</label>
          <input id="prove-index" inputMode="numeric" value={index} onChange={(e) => setIndex(e.target.value)} placeholder="e.g. 42" />
          <button className="button button-primary" type="submit" disabled={!index.trim() || proving}>
            {proving ? 'Checking…' : 'Prove it'}
          </button>
        </form>
        <p className="muted">
          The page fetches the entry, its audit path and the signed checkpoint, then recomputes the Merkle root and checks the ECDSA signature with
          the published key using your browser’s WebCrypto. Nothing here relies on the server saying “valid”.
        </p>
        <ErrorBanner error={proofError} title="The proof could not be checked." />
        {result && <ProofSteps result={result} />}
      </section>
    </>
  );
}

function ProofSteps({ result }: { result: ProofResult }) {
  return (
    <div className="card proof">
      <div className={`banner ${result.verified ? 'banner-ok' : 'banner-error'}`} role="status" aria-live="polite">
        {result.verified
          ? `Verified: this entry is in the ledger under a checkpoint signed by key ${result.keyId ?? ''}.`
          : 'NOT verified: a step below failed. The entry or its proof is not what the ledger signed.'}
      </div>
      <ol className="proof-steps">
        {result.steps.map((step) => (
          <li key={step.id} data-step={step.id} data-ok={step.ok}>
            <span className={`badge ${step.ok ? 'badge-ok' : 'badge-danger'}`}>{step.ok ? 'passed' : 'failed'}</span> <strong>{step.title}</strong>
            <div className="mono wrap muted">{step.detail}</div>
          </li>
        ))}
      </ol>
      <details>
        <summary>The entry as stored</summary>
        <pre className="mono wrap">{result.entryText}</pre>
      </details>
    </div>
  );
}
