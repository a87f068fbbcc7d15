// A bar chart of event counts over time that can be brushed: drag across it (or pick a bar with the keyboard and
// press Enter) to zoom the search to that span.
import { useRef, useState } from 'react';
import './charts.css';

export interface Bucket {
  start: string;
  count: number;
}

export interface HistogramProps {
  buckets: Bucket[];
  bucketSeconds: number;
  onSelect?: (from: Date, to: Date) => void;
  label: string;
  height?: number;
}

/** The time span covered by bars a..b (in either order), end exclusive. */
export function spanOf(buckets: Bucket[], bucketSeconds: number, a: number, b: number): [Date, Date] {
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(buckets.length - 1, Math.max(a, b));
  const from = new Date(buckets[lo]!.start);
  const to = new Date(new Date(buckets[hi]!.start).getTime() + bucketSeconds * 1000);
  return [from, to];
}

export function Histogram({ buckets, bucketSeconds, onSelect, label, height = 120 }: HistogramProps) {
  const width = 1000;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const barWidth = buckets.length ? width / buckets.length : width;
  const [drag, setDrag] = useState<[number, number] | null>(null);
  const [focus, setFocus] = useState(0);
  const svg = useRef<SVGSVGElement>(null);

  const indexAt = (clientX: number) => {
    const rect = svg.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return 0;
    return Math.min(buckets.length - 1, Math.max(0, Math.floor(((clientX - rect.left) / rect.width) * buckets.length)));
  };
  const finish = () => {
    if (drag && onSelect && buckets.length) onSelect(...spanOf(buckets, bucketSeconds, drag[0], drag[1]));
    setDrag(null);
  };
  const selected = (i: number) => drag && i >= Math.min(...drag) && i <= Math.max(...drag);

  if (buckets.length === 0) return <p className="muted">No events in this range.</p>;
  return (
    <figure className="histogram">
      <svg
        ref={svg}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${label}: ${buckets.reduce((s, b) => s + b.count, 0).toLocaleString()} events in ${buckets.length} intervals`}
        tabIndex={0}
        onMouseDown={(e) => {
          const i = indexAt(e.clientX);
          setDrag([i, i]);
        }}
        onMouseMove={(e) => drag && setDrag([drag[0], indexAt(e.clientX)])}
        onMouseUp={finish}
        onMouseLeave={() => drag && finish()}
        onKeyDown={(e) => {
          if (e.key === 'ArrowRight') setFocus((f) => Math.min(buckets.length - 1, f + 1));
          else if (e.key === 'ArrowLeft') setFocus((f) => Math.max(0, f - 1));
          else if (e.key === 'Enter' && onSelect) onSelect(...spanOf(buckets, bucketSeconds, focus, focus));
          else return;
          e.preventDefault();
        }}
      >
        {buckets.map((b, i) => {
          const h = (b.count / max) * (height - 4);
          return (
            <rect
              key={b.start}
              x={i * barWidth + 0.5}
              y={height - h}
              width={Math.max(1, barWidth - 1)}
              height={h}
              className={selected(i) ? 'bar bar-selected' : i === focus ? 'bar bar-focus' : 'bar'}
            >
              <title>{`${new Date(b.start).toLocaleString()}: ${b.count.toLocaleString()}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="muted histogram-axis">
        <span>{new Date(buckets[0]!.start).toLocaleString()}</span>
        <span>{onSelect ? 'Drag across the chart, or use the arrow keys and Enter, to zoom in' : ''}</span>
        <span>{new Date(new Date(buckets[buckets.length - 1]!.start).getTime() + bucketSeconds * 1000).toLocaleString()}</span>
      </figcaption>
    </figure>
  );
}
