import type { ConnectionTest } from '../../api/models';

const stepNames: Record<string, string> = {
  dns: 'Name lookup',
  tcp: 'TCP connection',
  tls: 'TLS handshake',
  login: 'Sign-in',
  query: 'Query (select version())',
};

/** Each step of a connection test with its time, and what to fix when one failed. */
export function ConnectionTestResult({ result }: { result: ConnectionTest }) {
  return (
    <div className={`banner ${result.ok ? 'banner-ok' : 'banner-error'}`} role="status" aria-live="polite">
      <strong>{result.ok ? 'Connection test passed.' : `Connection test failed at ${stepNames[result.failedStep ?? ''] ?? result.failedStep}.`}</strong>
      {result.error && <p>{result.error}</p>}
      <ol className="test-steps">
        {result.steps.map((step) => (
          <li key={step.name}>
            <span className={`badge ${step.ok ? 'badge-ok' : 'badge-danger'}`}>{step.ok ? 'ok' : 'failed'}</span>{' '}
            {stepNames[step.name] ?? step.name} <span className="muted">({step.durationMs} ms)</span>
            {step.detail && <span className="muted"> {step.detail}</span>}
          </li>
        ))}
      </ol>
      {result.ok && !result.loginTried && <p className="muted">The server answers; sign-in was not tried (no credentials given).</p>}
      {result.serverVersion && <p className="muted">Server: {result.serverVersion}</p>}
    </div>
  );
}
