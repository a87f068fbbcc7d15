// A scrolling list that renders only the rows in view (plus a few above and below), so 100,000 rows scroll as
// smoothly as 50. Rows have one fixed height; the list asks for more when the user nears the end.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import './charts.css';

export interface VirtualRowsProps<T> {
  rows: T[];
  rowHeight: number;
  height: number;
  overscan?: number;
  renderRow: (row: T, index: number) => ReactNode;
  onNearEnd?: () => void;
  label: string;
  header?: ReactNode;
}

/** The slice of rows to render for a scroll position. */
export function visibleRange(scrollTop: number, height: number, rowHeight: number, count: number, overscan: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return [first, Math.max(first, last)];
}

export function VirtualRows<T>({ rows, rowHeight, height, overscan = 8, renderRow, onNearEnd, label, header }: VirtualRowsProps<T>) {
  const [scrollTop, setScrollTop] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  const [first, last] = visibleRange(scrollTop, height, rowHeight, rows.length, overscan);
  const nearEnd = rows.length > 0 && last >= rows.length - overscan;
  const onNearEndRef = useRef(onNearEnd);
  onNearEndRef.current = onNearEnd;
  useEffect(() => {
    if (nearEnd) onNearEndRef.current?.();
  }, [nearEnd, rows.length]);

  return (
    <div className="virtual" role="table" aria-label={label} aria-rowcount={rows.length + 1}>
      {header}
      <div
        ref={ref}
        className="virtual-viewport"
        style={{ height, overflowY: 'auto', position: 'relative' }}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        tabIndex={0}
        role="rowgroup"
      >
        <div style={{ height: rows.length * rowHeight, position: 'relative' }}>
          {rows.slice(first, last).map((row, offset) => {
            const index = first + offset;
            return (
              <div key={index} role="row" aria-rowindex={index + 2} className="virtual-row" style={{ position: 'absolute', top: index * rowHeight, height: rowHeight, left: 0, right: 0 }}>
                {renderRow(row, index)}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
