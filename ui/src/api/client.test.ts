import { api, ApiError, setCsrfToken, withQuery } from './client';

function answer(status: number, body?: unknown) {
  return vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('api', () => {
  it('sends the CSRF token on changes only', async () => {
    const fetch = answer(200, { ok: true });
    vi.stubGlobal('fetch', fetch);
    setCsrfToken('token-1');
    await api('/things');
    await api('/things', { method: 'POST', body: { a: 1 } });
    const headersOf = (call: number) => (fetch.mock.calls[call] as unknown as [string, RequestInit])[1].headers as Record<string, string>;
    expect(headersOf(0)['X-CSRF-Token']).toBeUndefined();
    expect(headersOf(1)['X-CSRF-Token']).toBe('token-1');
  });

  it('turns problem details into an error that says what the server said, field by field', async () => {
    vi.stubGlobal('fetch', answer(400, { title: 'One or more errors occurred!', detail: 'The filter is not valid.', errors: [{ name: 'minRows', reason: 'must be a number' }] }));
    const error = await api('/events').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('The filter is not valid.');
    expect((error as ApiError).fieldErrors).toEqual(['minRows: must be a number']);
  });

  it('says the server could not be reached when the network fails', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const error = (await api('/me').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/could not be reached/);
  });
});

describe('withQuery', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(withQuery('/events', { q: 'a b&c', limit: 50, empty: '', none: undefined })).toBe('/events?q=a+b%26c&limit=50');
    expect(withQuery('/events', {})).toBe('/events');
  });
});
