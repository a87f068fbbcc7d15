// Where things are in a JSON text: the line and column of a syntax error, and the line of the value at a JSON path
// such as `$.rules[1].kinds[0]`, so the editor can point at what the server's compiler named.

export interface Position {
  line: number;
  column: number;
}

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** JSON.parse's complaint with a line and column, or null when the text parses. */
export function syntaxError(text: string): { message: string; position?: Position } | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    const position = lineColumn ? { line: Number(lineColumn[1]), column: Number(lineColumn[2]) } : at ? positionAt(text, Number(at[1])) : undefined;
    return { message: message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+.*$/, ''), position };
  }
}

/** The offset of every value in a JSON text by path (`$`, `$.a`, `$.a[0]`); empty when the text does not parse. */
export function valueOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string, depth: number): void => {
    if (depth > 64) throw new Error('too deep');
    ws();
    offsets.set(path, i);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = string();
        ws();
        i++; // ':'
        value(/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`, depth + 1);
        ws();
        if (text[i++] === '}') return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`, depth + 1);
        ws();
        if (text[i++] === ']') return;
      }
    } else if (c === '"') string();
    else while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  try {
    JSON.parse(text);
    value('$', 0);
  } catch {
    return new Map();
  }
  return offsets;
}

/** The line of the value a problem names (dry-run paths start with `document`), or of its nearest parent. */
export function lineOfPath(text: string, path: string, offsets = valueOffsets(text)): number | undefined {
  let p = path.replace(/^document/, '$');
  if (!p.startsWith('$')) p = `$.${p}`;
  while (p.length > 0) {
    const offset = offsets.get(p);
    if (offset !== undefined) return positionAt(text, offset).line;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return undefined;
}
