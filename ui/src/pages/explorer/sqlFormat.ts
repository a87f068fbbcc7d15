// A small SQL pretty-printer for reading statements: keywords upper-cased, main clauses on lines of their own.
// It never changes what is inside quotes, dollar quotes, quoted identifiers or comments.

const clauses = [
  'SELECT', 'FROM', 'WHERE', 'GROUP BY', 'HAVING', 'ORDER BY', 'LIMIT', 'OFFSET', 'UNION ALL', 'UNION', 'EXCEPT', 'INTERSECT',
  'INSERT INTO', 'VALUES', 'UPDATE', 'SET', 'DELETE FROM', 'RETURNING', 'ON CONFLICT', 'WITH', 'LEFT JOIN', 'RIGHT JOIN',
  'INNER JOIN', 'FULL JOIN', 'CROSS JOIN', 'JOIN', 'WINDOW',
];
const keywords = new Set(
  ('select from where group by having order limit offset union all except intersect insert into values update set delete ' +
    'returning on conflict do nothing with left right inner full outer cross join window and or not in is null as distinct ' +
    'case when then else end exists between like ilike asc desc create table alter drop index view begin commit rollback ' +
    'grant revoke to primary key references default true false cast over partition filter using lateral natural')
    .split(' '),
);

type Token = { kind: 'word' | 'literal' | 'space' | 'other'; text: string };

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const rest = sql.slice(i);
    let m: RegExpMatchArray | null;
    if (c === "'" || ((c === 'E' || c === 'e') && sql[i + 1] === "'")) {
      let j = c === "'" ? i + 1 : i + 2;
      while (j < sql.length) {
        if (sql[j] === '\\' && c !== "'") j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      tokens.push({ kind: 'literal', text: sql.slice(i, j + 1) });
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === '"' && sql[j + 1] !== '"')) j += sql[j] === '"' ? 2 : 1;
      tokens.push({ kind: 'literal', text: sql.slice(i, j + 1) });
      i = j + 1;
    } else if ((m = rest.match(/^\$([A-Za-z_][A-Za-z0-9_]*)?\$/))) {
      const tag = m[0];
      const end = sql.indexOf(tag, i + tag.length);
      const stop = end < 0 ? sql.length : end + tag.length;
      tokens.push({ kind: 'literal', text: sql.slice(i, stop) });
      i = stop;
    } else if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      tokens.push({ kind: 'literal', text: sql.slice(i, stop) });
      i = stop;
    } else if (rest.startsWith('/*')) {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      tokens.push({ kind: 'literal', text: sql.slice(i, stop) });
      i = stop;
    } else if ((m = rest.match(/^\s+/))) {
      tokens.push({ kind: 'space', text: m[0] });
      i += m[0].length;
    } else if ((m = rest.match(/^[A-Za-z_][A-Za-z0-9_$]*/))) {
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else {
      tokens.push({ kind: 'other', text: c });
      i++;
    }
  }
  return tokens;
}

/** Pretty-prints `sql`; the result, with runs of whitespace collapsed and keywords lower-cased, equals the input's. */
export function formatSql(sql: string): string {
  const tokens = tokenize(sql.trim());
  const words: Token[] = tokens.map((t) => (t.kind === 'word' && keywords.has(t.text.toLowerCase()) ? { ...t, text: t.text.toUpperCase() } : t));
  let out = '';
  let depth = 0;
  for (let i = 0; i < words.length; i++) {
    const t = words[i]!;
    if (t.kind === 'other' && t.text === '(') depth++;
    if (t.kind === 'other' && t.text === ')') depth = Math.max(0, depth - 1);
    if (t.kind === 'space') {
      out += t.text.includes('\n') ? '\n' : ' ';
      continue;
    }
    if (t.kind === 'word' && depth === 0 && out.trim().length > 0) {
      const next = words.slice(i + 1).find((w) => w.kind !== 'space');
      const two = next?.kind === 'word' ? `${t.text} ${next.text}` : '';
      if (clauses.includes(two) || clauses.includes(t.text)) out = `${out.replace(/[ \t]+$/, '')}\n`;
    }
    out += t.text;
  }
  return out.replace(/\n{2,}/g, '\n').trim();
}
