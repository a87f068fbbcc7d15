import type { EventItem } from '../../api/models';
import { errorRate, topStatements } from './dashboard';

const event = (fingerprint: string, extra: Partial<EventItem> = {}): EventItem =>
  ({ kind: 'statement', fingerprint, sql: `sql ${fingerprint}`, durationMicros: 10, ...extra }) as EventItem;

describe('dashboard', () => {
  it('ranks statements by how often they ran, counting their errors', () => {
    const top = topStatements([event('a'), event('b'), event('b', { sqlState: '42P01' }), event('c', { durationMicros: 500 }), event('a'), event('a'), { kind: 'login_failed' } as EventItem]);
    expect(top.map((t) => [t.fingerprint, t.count, t.errors])).toEqual([
      ['a', 3, 0],
      ['b', 2, 1],
      ['c', 1, 0],
    ]);
  });

  it('gives an error rate per hundred statements, none without statements', () => {
    expect(errorRate(200, 3)).toBe(1.5);
    expect(errorRate(0, 0)).toBeNull();
  });
});
