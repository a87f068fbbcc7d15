import { lineOfPath, syntaxError, valueOffsets } from './jsonPositions';
import { diffLineKind } from './PolicyHistory';

const doc = `{
  "version": "1",
  "rules": [
    {
      "id": "a",
      "effect": "deny",
      "kinds": ["writes"]
    }
  ]
}`;

describe('policy editor positions', () => {
  it('says where a syntax error is', () => {
    const error = syntaxError('{\n  "rules": [\n    {"id": "a",,}\n  ]\n}');
    expect(error).not.toBeNull();
    expect(error!.position?.line).toBe(3);
    expect(syntaxError(doc)).toBeNull();
  });

  it('finds the line of the value a compile problem names, or its parent', () => {
    expect(lineOfPath(doc, 'document.rules[0].kinds[0]')).toBe(7);
    expect(lineOfPath(doc, '$.rules[0].id')).toBe(5);
    expect(lineOfPath(doc, '$.rules[0].missing')).toBe(4);
    expect(lineOfPath('not json', '$.rules')).toBeUndefined();
  });

  it('indexes every value by path', () => {
    const offsets = valueOffsets('{"a": [1, {"b": "x"}], "c d": true}');
    expect([...offsets.keys()]).toEqual(['$', '$.a', '$.a[0]', '$.a[1]', '$.a[1].b', '$["c d"]']);
  });
});

describe('policy diff', () => {
  it('reads the API diff line prefixes', () => {
    expect(diffLineKind('+  "id": "b"')).toBe('added');
    expect(diffLineKind('-  "id": "a"')).toBe('removed');
    expect(diffLineKind('   "x": 1')).toBe('same');
  });
});
