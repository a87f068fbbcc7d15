import type { EventItem } from '../../api/models';

export interface TopStatement {
  fingerprint: string;
  sql: string;
  count: number;
  errors: number;
  totalMicros: number;
}

/** Statements grouped by fingerprint, most frequent first (ties: slowest in total first). */
export function topStatements(events: EventItem[], limit = 10): TopStatement[] {
  const groups = new Map<string, TopStatement>();
  for (const e of events) {
    if (e.kind !== 'statement' || !e.fingerprint) continue;
    const g = groups.get(e.fingerprint) ?? { fingerprint: e.fingerprint, sql: e.sql ?? '', count: 0, errors: 0, totalMicros: 0 };
    g.count++;
    if (e.sqlState) g.errors++;
    g.totalMicros += e.durationMicros ?? 0;
    groups.set(e.fingerprint, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.totalMicros - a.totalMicros).slice(0, limit);
}

/** Errors per hundred statements, one decimal; null when there were no statements. */
export function errorRate(statements: number, errors: number): number | null {
  if (statements <= 0) return null;
  return Math.round((errors / statements) * 1000) / 10;
}
