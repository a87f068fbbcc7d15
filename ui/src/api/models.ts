// The REST API's resources as the pages read them (docs/api.md is the reference; names are the API's own).

export type TlsMode = 'disable' | 'require' | 'verify-full';

export interface EndpointAddress {
  host: string;
  port: number;
  routing: 'sni' | 'options';
  database?: string | null;
  authentication: string;
  hint: string;
  connectionStrings: { psql: string; uri: string; jdbc: string; npgsql: string };
}

export interface Endpoint {
  id: string;
  upstreamHost: string;
  upstreamPort: number;
  defaultDatabase?: string | null;
  tlsMode: TlsMode;
  hasCaCertificate: boolean;
  maxConnections: number;
  allowReplication: boolean;
  durability: Record<'read' | 'write' | 'ddl' | 'dcl' | 'tcl' | 'other', string>;
  broker?: { user: string; passwordSet: boolean } | null;
  enabled: boolean;
  deleted: boolean;
  created: string;
  updated: string;
  version: number;
  address?: EndpointAddress | null;
  status?: { openSessions: number; statementsLastMinute: number; lastEventTime?: string | null } | null;
}

export interface ConnectionTestStep {
  name: string;
  ok: boolean;
  durationMs: number;
  detail?: string | null;
  error?: string | null;
  sqlState?: string | null;
}

export interface ConnectionTest {
  ok: boolean;
  failedStep?: string | null;
  error?: string | null;
  sqlState?: string | null;
  serverVersion?: string | null;
  loginTried: boolean;
  steps: ConnectionTestStep[];
}

export interface EventItem {
  index: number;
  id: string;
  kind: string;
  time: string;
  tenant: string;
  endpoint: string;
  session: string;
  clientAddress?: string | null;
  person?: string | null;
  user?: string | null;
  database?: string | null;
  applicationName?: string | null;
  protocol?: string | null;
  sql?: string | null;
  statementClass?: string | null;
  commandTag?: string | null;
  rows?: number | null;
  sqlState?: string | null;
  message?: string | null;
  durationMicros?: number | null;
  parameters?: (string | null)[] | null;
  fingerprint?: string | null;
  policyDecision?: string | null;
  policyRule?: string | null;
  policyVersion?: number | null;
  policySha256?: string | null;
  copyDirection?: string | null;
  copyBytes?: number | null;
  copySha256?: string | null;
}

export interface EventPage {
  items: EventItem[];
  source: string;
  indexedSize?: number | null;
  sealedSize?: number | null;
  complete?: boolean | null;
  next?: number | null;
  cursor?: string | null;
}

export interface EventDetail {
  event: EventItem;
  entry: string;
  block?: { firstIndex: number; lastIndex: number; path: string } | null;
  sessionHref: string;
  timelineHref: string;
  inclusionProofHref: string;
}

export interface Facets {
  total: number;
  facets: Record<string, { value: string; count: number }[]>;
  indexedSize: number;
}

export interface Histogram {
  from: string;
  to: string;
  bucketSeconds: number;
  buckets: { start: string; count: number }[];
  total: number;
}

export interface SessionItem {
  sessionId: string;
  endpoint: string;
  person?: string | null;
  user?: string | null;
  database?: string | null;
  applicationName?: string | null;
  clientAddress?: string | null;
  firstEventTime: string;
  lastEventTime: string;
  login?: string | null;
  ended?: string | null;
  endedTime?: string | null;
  entries: number;
  statements: number;
  errors: number;
  rows: number;
}
