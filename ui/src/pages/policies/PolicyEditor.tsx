// A plain-text JSON editor that reads well: line numbers, monospace, Tab indents with spaces, and the problems
// marked on their lines.
import { useRef, type KeyboardEvent } from 'react';

export interface EditorProblem {
  line?: number;
  message: string;
}

export function PolicyEditor({ value, onChange, problems, readOnly }: { value: string; onChange: (text: string) => void; problems: EditorProblem[]; readOnly?: boolean }) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split('\n').length;
  const bad = new Set(problems.map((p) => p.line).filter((l): l is number => l !== undefined));

  function keyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== 'Tab' || event.shiftKey || readOnly) return; // Shift+Tab and Esc-then-Tab still leave the editor
    event.preventDefault();
    const area = event.currentTarget;
    const { selectionStart, selectionEnd } = area;
    const next = `${value.slice(0, selectionStart)}  ${value.slice(selectionEnd)}`;
    onChange(next);
    requestAnimationFrame(() => area.setSelectionRange(selectionStart + 2, selectionStart + 2));
  }

  return (
    <div className="editor">
      <div className="editor-gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => (
          <div key={i} className={bad.has(i + 1) ? 'gutter-bad' : undefined}>
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        aria-label="Policy document (JSON)"
        aria-invalid={problems.length > 0 ? true : undefined}
        aria-describedby="policy-problems"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        readOnly={readOnly}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={keyDown}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        rows={Math.min(40, Math.max(16, lines + 2))}
      />
    </div>
  );
}
