import { apiFilters, parseQuery, toParams } from './query';
import { formatSql, tokenize } from './sqlFormat';
import { outcome, formatDuration } from './EventRow';

describe('explorer query in the URL', () => {
  it('round-trips filters, range and sort, and leaves defaults out of the URL', () => {
    const params = new URLSearchParams('q=orders&endpoint=db-1&range=7d&sort=-duration&unknown=x');
    const query = parseQuery(params);
    expect(query).toEqual({ filters: { q: 'orders', endpoint: 'db-1' }, range: '7d', from: undefined, to: undefined, sort: '-duration' });
    expect(toParams(query).toString()).toBe('q=orders&endpoint=db-1&range=7d&sort=-duration');
    expect(toParams(parseQuery(new URLSearchParams(''))).toString()).toBe('');
  });

  it('makes a preset absolute at the time of the search, and keeps a brushed range as it is', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    expect(apiFilters(parseQuery(new URLSearchParams('range=1h&user=app')), now)).toEqual({ user: 'app', from: '2026-11-23T11:00:00.000Z' });
    expect(apiFilters(parseQuery(new URLSearchParams('from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z')), now)).toEqual({
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-02T00:00:00Z',
    });
    expect(apiFilters(parseQuery(new URLSearchParams('range=all')), now)).toEqual({});
  });

  it('falls back to safe defaults for values it does not know', () => {
    const query = parseQuery(new URLSearchParams('range=forever&sort=drop table'));
    expect(query.range).toBe('24h');
    expect(query.sort).toBe('-time');
  });
});

describe('formatSql', () => {
  it('puts main clauses on lines of their own and upper-cases keywords', () => {
    expect(formatSql('select id, name from orders where total > 10 order by id limit 5')).toBe(
      'SELECT id, name\nFROM orders\nWHERE total > 10\nORDER BY id\nLIMIT 5',
    );
  });

  it('never touches literals, quoted identifiers, dollar quotes or comments', () => {
    const sql = `select 'from where', "Select", $$ select from $$, E'it\\'s from' -- where select\nfrom t`;
    const formatted = formatSql(sql);
    expect(formatted).toContain(`'from where'`);
    expect(formatted).toContain(`"Select"`);
    expect(formatted).toContain(`$$ select from $$`);
    expect(formatted).toContain(`E'it\\'s from'`);
    expect(formatted).toContain(`-- where select`);
    expect(formatted.split('\n')).toHaveLength(2);
  });

  it('keeps subqueries on their line', () => {
    expect(formatSql('select * from (select id from t where x = 1) s where s.id > 2')).toBe('SELECT *\nFROM (SELECT id FROM t WHERE x = 1) s\nWHERE s.id > 2');
  });

  it('keeps every character of an unterminated string', () => {
    expect(tokenize("select 'abc").map((t) => t.text).join('')).toBe("select 'abc");
  });
});

describe('event outcome', () => {
  it('says blocked for a denied statement before anything else', () => {
    expect(outcome({ policyDecision: 'denied', sqlState: '42501', commandTag: null } as never).text).toBe('blocked');
    expect(outcome({ sqlState: '42P01' } as never).text).toBe('42P01');
    expect(outcome({ commandTag: 'SELECT 1' } as never).text).toBe('SELECT 1');
  });

  it('formats durations for people', () => {
    expect(formatDuration(850)).toBe('850 µs');
    expect(formatDuration(12_300)).toBe('12.3 ms');
    expect(formatDuration(2_500_000)).toBe('2.50 s');
  });
});
