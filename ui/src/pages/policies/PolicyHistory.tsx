import { api } from '../../api/client';
import { useSearchParams } from '../../app/router';
import { ErrorBanner, formatTime, Loading } from '../../components/ui';
import { useApi } from '../../components/useApi';

export interface PolicyVersion {
  version: number;
  author: string;
  published: string;
  sha256: string;
  size: number;
  current: boolean;
}

interface Diff {
  from: number;
  to: number;
  added: number;
  removed: number;
  lines: string[];
}

export function diffLineKind(line: string): 'added' | 'removed' | 'same' {
  return line.startsWith('+') ? 'added' : line.startsWith('-') ? 'removed' : 'same';
}

/** Every published version (who, when, hash) and the difference between any two, chosen in the URL. */
export function PolicyHistory({ versions, onOpen }: { versions: PolicyVersion[]; onOpen: (version: number) => void }) {
  const [params, setParams] = useSearchParams();
  const from = Number(params.get('from') ?? NaN);
  const to = Number(params.get('to') ?? NaN);
  const chosen = Number.isInteger(from) && Number.isInteger(to);
  const diff = useApi((signal) => (chosen ? api<Diff>(`/policies/${from}/diff/${to}`, { signal }) : Promise.resolve(null)), [from, to, chosen]);
  const compare = (a: number, b: number) => {
    const next = new URLSearchParams(params);
    next.set('from', String(a));
    next.set('to', String(b));
    setParams(next, { push: true });
  };

  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {versions.length === 0 ? (
        <p className="muted">Nothing published yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Published</th>
              <th scope="col">By</th>
              <th scope="col">SHA-256</th>
              <th scope="col">Compare</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v, i) => (
              <tr key={v.version}>
                <td>
                  <button type="button" className="link-button" onClick={() => onOpen(v.version)}>
                    v{v.version}
                  </button>{' '}
                  {v.current && <span className="badge badge-ok">in force</span>}
                </td>
                <td>{formatTime(v.published)}</td>
                <td>{v.author}</td>
                <td className="mono" title={v.sha256}>
                  {v.sha256.slice(0, 12)}
                </td>
                <td>
                  {i + 1 < versions.length && (
                    <button type="button" className="button button-small" onClick={() => compare(versions[i + 1]!.version, v.version)}>
                      Changes from v{versions[i + 1]!.version}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorBanner error={diff.error} />
      {chosen && diff.loading && <Loading />}
      {diff.data && (
        <div className="diff" aria-label={`Changes from version ${diff.data.from} to ${diff.data.to}`}>
          <h3>
            v{diff.data.from} → v{diff.data.to}: <span className="diff-added">+{diff.data.added}</span> <span className="diff-removed">−{diff.data.removed}</span>
          </h3>
          <pre>
            {diff.data.lines.map((line, i) => (
              <div key={i} className={`diff-line diff-${diffLineKind(line)}`}>
                {line}
              </div>
            ))}
          </pre>
        </div>
      )}
    </section>
  );
}
