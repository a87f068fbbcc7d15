import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import { useAuth } from '../../app/auth';
import { ErrorBanner, Loading, PageHeader } from '../../components/ui';
import { useApi } from '../../components/useApi';
import { DryRunResult, type DryRun } from './DryRunResult';
import { lineOfPath, syntaxError } from './jsonPositions';
import { PolicyEditor, type EditorProblem } from './PolicyEditor';
import { PolicyHistory, type PolicyVersion } from './PolicyHistory';
import './policies.css';

export const examplePolicy = `{
  "version": "1",
  "description": "Guardrails for production",
  "rules": [
    {
      "id": "require-where",
      "effect": "deny",
      "missingWhere": true,
      "message": "UPDATE and DELETE need a WHERE clause"
    },
    {
      "id": "no-drop",
      "effect": "deny",
      "commands": ["DROP TABLE", "TRUNCATE TABLE"],
      "message": "Dropping tables is not allowed here"
    }
  ]
}
`;

/** Problems of a document: JSON syntax locally, then the server's compiler (via a dry-run, which publishes nothing). */
function problemsOf(error: unknown, text: string): EditorProblem[] {
  if (error instanceof ApiError && error.status === 400) {
    const errors = error.problem.errors;
    if (Array.isArray(errors) && errors.length > 0) {
      return errors.map((e) => ({ line: e.name ? lineOfPath(text, e.name) : undefined, message: [e.name, e.reason ?? e.message].filter(Boolean).join(': ') }));
    }
    return [{ message: error.message }];
  }
  return [];
}

export function PoliciesPage() {
  const { can } = useAuth();
  const history = useApi((signal) => api<{ items: PolicyVersion[] }>('/policies', { query: { limit: 50 }, signal }), []);
  const current = useApi(
    (signal) =>
      api<{ document: unknown }>('/policies/current', { signal }).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    [],
  );
  const [text, setText] = useState<string | null>(null);
  const [problems, setProblems] = useState<EditorProblem[]>([]);
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [published, setPublished] = useState<string | null>(null);

  useEffect(() => {
    if (text === null && current.data !== undefined) setText(current.data ? `${JSON.stringify(current.data.document, null, 2)}\n` : '');
  }, [current.data, text]);

  // Validate as the user types: syntax at once, the compiler (with a dry-run) after a pause.
  useEffect(() => {
    if (text === null || text.trim() === '') {
      setProblems([]);
      setDryRun(null);
      return;
    }
    const syntax = syntaxError(text);
    if (syntax) {
      setProblems([{ line: syntax.position?.line, message: `JSON: ${syntax.message}${syntax.position ? ` (line ${syntax.position.line}, column ${syntax.position.column})` : ''}` }]);
      setDryRun(null);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setChecking(true);
      api<DryRun>('/policies/dry-run', { method: 'POST', body: { document: text, limit: 1000 }, signal: controller.signal })
        .then((result) => {
          setProblems([]);
          setDryRun(result);
        })
        .catch((e: unknown) => {
          if (controller.signal.aborted) return;
          const found = problemsOf(e, text);
          setProblems(found.length ? found : [{ message: e instanceof Error ? e.message : String(e) }]);
          setDryRun(null);
        })
        .finally(() => !controller.signal.aborted && setChecking(false));
    }, 600);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [text]);

  async function publish() {
    if (text === null || problems.length > 0) return;
    if (!window.confirm('Publish this policy? Every edge node enforces it within seconds.')) return;
    setError(undefined);
    try {
      const created = await api<{ version: PolicyVersion }>('/policies', { method: 'POST', rawJson: text });
      setPublished(`Version ${created.version.version} published; every edge node enforces it within seconds.`);
      history.reload();
    } catch (e) {
      setError(e);
    }
  }

  async function open(version: number) {
    setError(undefined);
    try {
      const v = await api<{ document: unknown }>(`/policies/${version}`);
      setText(`${JSON.stringify(v.document, null, 2)}\n`);
      setPublished(null);
    } catch (e) {
      setError(e);
    }
  }

  if (text === null) return current.error ? <ErrorBanner error={current.error} /> : <Loading />;
  return (
    <>
      <PageHeader
        title="Policies"
        subtitle="What may run through your endpoints: block, limit, mask, redact. Checked as you type against your recent statements."
        actions={
          can('policy:write') && (
            <button type="button" className="button button-primary" onClick={publish} disabled={problems.length > 0 || checking || text.trim() === ''}>
              Publish
            </button>
          )
        }
      />
      {published && (
        <div className="banner banner-ok" role="status">
          {published}
        </div>
      )}
      <ErrorBanner error={error} title="Not published." />
      {text.trim() === '' && (
        <div className="banner banner-warn">
          No policy yet: everything is allowed and recorded.{' '}
          <button type="button" className="button button-small" onClick={() => setText(examplePolicy)}>
            Start from an example
          </button>
        </div>
      )}
      <div className="policy-layout">
        <div>
          <PolicyEditor value={text} onChange={(t) => { setText(t); setPublished(null); }} problems={problems} readOnly={!can('policy:write')} />
          <div id="policy-problems" aria-live="polite" className="policy-problems">
            {checking && <span className="muted">Checking…</span>}
            {!checking && problems.length === 0 && text.trim() !== '' && <span className="badge badge-ok">valid</span>}
            {problems.length > 0 && (
              <ul className="banner banner-error" role="alert">
                {problems.map((p, i) => (
                  <li key={i}>
                    {p.line !== undefined && <strong>line {p.line}: </strong>}
                    {p.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
        <div>
          <h2>Dry run</h2>
          {dryRun ? <DryRunResult result={dryRun} /> : <p className="muted">A valid document is tried against your last 24 hours of statements here.</p>}
        </div>
      </div>
      <ErrorBanner error={history.error} />
      {history.data && <PolicyHistory versions={history.data.items} onOpen={open} />}
    </>
  );
}
