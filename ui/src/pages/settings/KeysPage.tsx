import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAuth } from '../../app/auth';
import { CodeBlock, ErrorBanner, Field, formatTime, Loading, PageHeader } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useApi } from '../../components/useApi';

interface KeyItem {
  id: string;
  name: string;
  kind: 'apiKey' | 'personalAccessToken';
  scopes: string[];
  issuedBy?: string | null;
  created: string;
  expires?: string | null;
  revoked?: string | null;
  active: boolean;
}

export const permissions = [
  'events:read',
  'ledger:read',
  'exports:write',
  'endpoints:read',
  'endpoints:write',
  'policy:read',
  'policy:write',
  'members:read',
  'members:write',
  'webhooks:write',
];

/** Scopes of a new key: a token connects to databases (all or one endpoint); an API key holds permissions. */
export function scopesFor(kind: KeyItem['kind'], chosen: string[], endpoint: string): string[] {
  if (kind === 'personalAccessToken') return [endpoint.trim() ? `db:connect:${endpoint.trim()}` : 'db:connect'];
  return chosen.filter((s) => permissions.includes(s));
}

/** API keys for automation and personal access tokens for signing in at the proxy; secrets shown once. */
export function KeysPage() {
  const { me, can } = useAuth();
  const keys = useApi((signal) => api<{ items: KeyItem[] }>('/keys', { signal }), []);
  const [kind, setKind] = useState<KeyItem['kind']>('personalAccessToken');
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>(['events:read']);
  const [endpoint, setEndpoint] = useState('');
  const [days, setDays] = useState('90');
  const [secret, setSecret] = useState<{ name: string; secret: string; kind: KeyItem['kind'] } | null>(null);
  const action = useAction();

  function create(event: FormEvent) {
    event.preventDefault();
    void action.run('create', async () => {
      const expires = days ? new Date(Date.now() + Number(days) * 86400_000).toISOString() : undefined;
      const created = await api<{ key: KeyItem; secret: string }>('/keys', { method: 'POST', body: { name, kind, scopes: scopesFor(kind, chosen, endpoint), expires } });
      setSecret({ name, secret: created.secret, kind });
      setName('');
      keys.reload();
    });
  }

  const revoke = (key: KeyItem) => {
    if (!window.confirm(`Revoke ${key.name}? Anything using it stops working at once.`)) return;
    void action.run('revoke', async () => {
      await api(`/keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
      keys.reload();
    });
  };

  return (
    <>
      <PageHeader title="Keys" subtitle="Personal access tokens sign you in at the proxy (brokered endpoints); API keys let automation use the API." />
      <ErrorBanner error={action.error} />
      {secret && (
        <div className="banner banner-warn" role="status">
          <strong>Copy the secret of {secret.name} now: it is not shown again.</strong>
          <CodeBlock code={secret.secret} />
          {secret.kind === 'personalAccessToken' && (
            <p>
              Use it as the password at a brokered endpoint, with your email or member id ({me?.memberId}) as the user name, e.g.{' '}
              <code>PGPASSWORD=&lt;token&gt; psql "host=… user={me?.memberId} options=endpoint=&lt;id&gt;"</code>.
            </p>
          )}
        </div>
      )}
      <form className="card key-form" onSubmit={create}>
        <h2>New key</h2>
        <div className="form-row">
          <div className="field">
            <label htmlFor="key-kind">Kind</label>
            <select id="key-kind" value={kind} onChange={(e) => setKind(e.target.value as KeyItem['kind'])}>
              <option value="personalAccessToken">Personal access token (sign in at the proxy)</option>
              {can('members:write') && <option value="apiKey">API key (automation)</option>}
            </select>
          </div>
          <Field label="Name" required value={name} onChange={(e) => setName(e.target.value)} placeholder="laptop psql, nightly export…" />
        </div>
        {kind === 'personalAccessToken' ? (
          <Field label="Endpoint (optional)" value={endpoint} onChange={(e) => setEndpoint(e.target.value)} hint="Limit the token to one endpoint; empty for all." />
        ) : (
          <fieldset className="scopes">
            <legend>Permissions</legend>
            {permissions.map((p) => (
              <label key={p}>
                <input type="checkbox" checked={chosen.includes(p)} onChange={(e) => setChosen(e.target.checked ? [...chosen, p] : chosen.filter((c) => c !== p))} /> {p}
              </label>
            ))}
          </fieldset>
        )}
        <Field label="Expires after (days)" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} />
        <button type="submit" className="button button-primary">
          Create
        </button>
      </form>
      <ErrorBanner error={keys.error} />
      {keys.loading && !keys.data && <Loading />}
      {keys.data && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>{k.kind === 'apiKey' ? 'API key' : 'token'}</td>
                <td className="mono">{k.scopes.join(' ')}</td>
                <td>
                  {formatTime(k.created)} <span className="muted">{k.issuedBy}</span>
                </td>
                <td>{formatTime(k.expires)}</td>
                <td>{k.active ? <span className="badge badge-ok">active</span> : <span className="badge">{k.revoked ? 'revoked' : 'expired'}</span>}</td>
                <td>
                  {k.active && (
                    <button type="button" className="button button-small button-danger" onClick={() => revoke(k)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
