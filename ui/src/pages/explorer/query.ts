// The explorer's search as it lives in the URL, and as the events API takes it.

/** Filters of GET /api/v1/events that the explorer offers (docs/api.md, "Event filters"). */
export const filterKeys = [
  'q',
  'endpoint',
  'user',
  'person',
  'database',
  'class',
  'kind',
  'sqlstate',
  'tag',
  'session',
  'client',
  'application',
  'fingerprint',
  'minDurationMicros',
  'minRows',
] as const;

export type FilterKey = (typeof filterKeys)[number];

export const presets: Record<string, { label: string; seconds: number }> = {
  '15m': { label: 'Last 15 minutes', seconds: 15 * 60 },
  '1h': { label: 'Last hour', seconds: 3600 },
  '24h': { label: 'Last 24 hours', seconds: 86400 },
  '7d': { label: 'Last 7 days', seconds: 7 * 86400 },
  '30d': { label: 'Last 30 days', seconds: 30 * 86400 },
};

export const sorts: Record<string, string> = {
  '-time': 'Newest first',
  time: 'Oldest first',
  '-duration': 'Slowest first',
  '-rows': 'Most rows first',
};

export interface ExplorerQuery {
  filters: Partial<Record<FilterKey, string>>;
  /** A preset key (relative to now) or 'custom' with from/to. */
  range: string;
  from?: string;
  to?: string;
  sort: string;
}

export function parseQuery(params: URLSearchParams): ExplorerQuery {
  const filters: Partial<Record<FilterKey, string>> = {};
  for (const key of filterKeys) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const range = from || to ? 'custom' : (params.get('range') ?? '24h');
  const sort = params.get('sort') ?? '-time';
  return { filters, range: range in presets || range === 'custom' || range === 'all' ? range : '24h', from, to, sort: sort in sorts ? sort : '-time' };
}

export function toParams(query: ExplorerQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of filterKeys) {
    const value = query.filters[key];
    if (value) params.set(key, value);
  }
  if (query.range === 'custom') {
    if (query.from) params.set('from', query.from);
    if (query.to) params.set('to', query.to);
  } else if (query.range !== '24h') params.set('range', query.range);
  if (query.sort !== '-time') params.set('sort', query.sort);
  return params;
}

/** The API query for a search, with the time range made absolute at `now`. */
export function apiFilters(query: ExplorerQuery, now: Date): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(query.filters)) if (value) result[key] = value;
  if (query.range === 'custom') {
    if (query.from) result.from = query.from;
    if (query.to) result.to = query.to;
  } else if (query.range !== 'all') {
    const preset = presets[query.range] ?? presets['24h']!;
    result.from = new Date(now.getTime() - preset.seconds * 1000).toISOString();
  }
  return result;
}

/** Maps a facet's field name to the filter that selects its value. */
export const facetFilter: Record<string, FilterKey> = {
  kind: 'kind',
  class: 'class',
  endpoint: 'endpoint',
  user: 'user',
  person: 'person',
  sqlstate: 'sqlstate',
  tag: 'tag',
};
