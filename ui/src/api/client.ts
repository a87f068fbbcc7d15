// The one way the portal talks to the Host: same-origin fetches under /api/v1 with the session cookie, the CSRF
// token on every change, and RFC 7807 problem details turned into ApiError with the server's own words.

export interface ProblemField {
  name?: string;
  reason?: string;
  path?: string;
  message?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: ProblemField[] | Record<string, string[]>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(describeProblem(status, problem));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** The per-field messages of a 400, as `field: message` lines. */
  get fieldErrors(): string[] {
    const errors = this.problem.errors;
    if (!errors) return [];
    if (Array.isArray(errors)) {
      return errors.map((e) => [e.name ?? e.path, e.reason ?? e.message].filter(Boolean).join(': '));
    }
    return Object.entries(errors).flatMap(([field, messages]) => messages.map((m) => `${field}: ${m}`));
  }
}

export function describeProblem(status: number, problem: Problem): string {
  if (problem.detail) return problem.detail;
  if (problem.title) return problem.title;
  if (status === 0) return 'The server could not be reached. Check that the Host is running.';
  return `The server answered ${status}.`;
}

let csrfToken: string | null = null;

/** Set from GET /me; sent as X-CSRF-Token on every request that changes something. */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  /** A JSON body sent exactly as given (a policy document is stored byte for byte as sent). */
  rawJson?: string;
  signal?: AbortSignal;
}

/** Calls `/api/v1` + path. Resolves to the parsed JSON (undefined for 204), rejects with ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined || options.rawJson !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(withQuery(`/api/v1${path}`, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.rawJson ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, {});
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!response.ok) {
    if (response.status === 401) notifyUnauthorized();
    throw new ApiError(response.status, (json as Problem) ?? { title: response.statusText });
  }
  return json as T;
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** The shell signs the user out (and keeps the page they wanted) when any call answers 401. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function notifyUnauthorized(): void {
  for (const listener of unauthorizedListeners) listener();
}
