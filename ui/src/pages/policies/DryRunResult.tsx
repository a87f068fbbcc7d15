import { Link } from '../../app/router';
import { formatNumber, formatTime } from '../../components/ui';

export interface DryRun {
  examined: number;
  withoutSql: number;
  from: string;
  to: string;
  complete: boolean;
  note?: string;
  rules: { ruleId: string; effect: string; matched: number; eventIds: string[] }[];
  totals: { denied: number; masked: number; limited: number; redacted: number };
  samples: { eventId: string; time: string; sql: string; decision: string; ruleId: string }[];
}

/** What a policy would have done to the tenant's recent statements. */
export function DryRunResult({ result }: { result: DryRun }) {
  const t = result.totals;
  return (
    <div className="card dry-run" aria-live="polite">
      <h3>
        Over {formatNumber(result.examined)} statements ({formatTime(result.from)} – {formatTime(result.to)})
        {!result.complete && <span className="badge badge-warn">more in range than examined</span>}
      </h3>
      <p>
        <strong className="dry-denied">{formatNumber(t.denied)} would be blocked</strong>, {formatNumber(t.masked)} masked, {formatNumber(t.limited)} limited,{' '}
        {formatNumber(t.redacted)} redacted.
      </p>
      {result.note && <p className="muted">{result.note}</p>}
      {result.rules.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Effect</th>
              <th scope="col">Statements it matches</th>
            </tr>
          </thead>
          <tbody>
            {result.rules.map((r) => (
              <tr key={r.ruleId}>
                <td className="mono">{r.ruleId}</td>
                <td>{r.effect}</td>
                <td>{formatNumber(r.matched)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.samples.length > 0 && (
        <>
          <h4>Statements affected</h4>
          <ul className="samples">
            {result.samples.map((s) => (
              <li key={s.eventId}>
                <span className={`badge ${s.decision === 'deny' ? 'badge-danger' : 'badge-warn'}`}>{s.decision === 'deny' ? 'blocked' : s.decision}</span>{' '}
                <span className="mono">{s.ruleId}</span>{' '}
                <Link to={`/events/${encodeURIComponent(s.eventId)}`} className="mono">
                  {s.sql}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
