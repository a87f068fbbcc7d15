import type { EventItem } from '../../api/models';
import { Link } from '../../app/router';

export function formatDuration(micros: number | null | undefined): string {
  if (micros === null || micros === undefined) return '';
  if (micros < 1000) return `${micros} µs`;
  if (micros < 1_000_000) return `${(micros / 1000).toFixed(1)} ms`;
  return `${(micros / 1_000_000).toFixed(2)} s`;
}

/** What happened, in one word: blocked, an error's SQLSTATE, or the command tag. */
export function outcome(event: EventItem): { text: string; tone: 'ok' | 'danger' | 'warn' | '' } {
  if (event.policyDecision === 'denied') return { text: 'blocked', tone: 'danger' };
  if (event.policyDecision === 'limited') return { text: 'limited', tone: 'warn' };
  if (event.sqlState) return { text: event.sqlState, tone: 'danger' };
  if (event.commandTag) return { text: event.commandTag, tone: 'ok' };
  // Durable statements are recorded before they run; their result follows as a statement event of the same session.
  if (event.kind === 'statement_submitted') return { text: 'submitted', tone: '' };
  return { text: event.kind, tone: '' };
}

export function EventRowHeader() {
  return (
    <div className="event-row event-row-header" role="row">
      <span role="columnheader">Time</span>
      <span role="columnheader">Endpoint</span>
      <span role="columnheader">User</span>
      <span role="columnheader">Statement</span>
      <span role="columnheader">Result</span>
      <span role="columnheader">Rows</span>
      <span role="columnheader">Duration</span>
    </div>
  );
}

export function EventRow({ event, onOpen }: { event: EventItem; onOpen: () => void }) {
  const result = outcome(event);
  return (
    <div className="event-row" onDoubleClick={onOpen}>
      <span role="cell" className="mono">
        {new Date(event.time).toLocaleTimeString()}
      </span>
      <span role="cell">{event.endpoint}</span>
      <span role="cell">{event.person ? `${event.person} (${event.user ?? ''})` : event.user}</span>
      <span role="cell" className="mono event-sql" title={event.sql ?? event.kind}>
        <Link to={`/events/${encodeURIComponent(event.id)}`}>{event.sql ?? event.kind}</Link>
      </span>
      <span role="cell">
        <span className={`badge ${result.tone ? `badge-${result.tone}` : ''}`}>{result.text}</span>
      </span>
      <span role="cell">{event.rows ?? ''}</span>
      <span role="cell">{formatDuration(event.durationMicros)}</span>
    </div>
  );
}
