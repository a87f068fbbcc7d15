import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { ConnectionTest, Endpoint, TlsMode } from '../../api/models';
import { Link } from '../../app/router';
import { ErrorBanner, Field, PageHeader } from '../../components/ui';
import { ConnectionStrings } from './ConnectionStrings';
import { ConnectionTestResult } from './ConnectionTestResult';
import { emptyForm, settingsBody, validateForm, type EndpointForm } from './endpointForm';
import './endpoints.css';

/** Connect a database: where it is, how to reach it, a live test, then the endpoint and its connection strings. */
export function NewEndpointPage() {
  const [form, setForm] = useState<EndpointForm>(emptyForm);
  const [touched, setTouched] = useState(false);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [testing, setTesting] = useState(false);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [created, setCreated] = useState<Endpoint | null>(null);
  const problems = touched ? validateForm(form) : {};
  const set = (key: keyof EndpointForm) => (event: { target: { value: string } }) => {
    setForm({ ...form, [key]: event.target.value });
    setTest(null);
  };

  async function runTest() {
    setTouched(true);
    if (Object.keys(validateForm(form)).length > 0) return;
    setTesting(true);
    setError(undefined);
    try {
      const user = form.brokerUser || form.testUser;
      const password = form.brokerUser ? form.brokerPassword : form.testPassword;
      setTest(await api<ConnectionTest>('/endpoints/test', { method: 'POST', body: { ...settingsBody(form), broker: undefined, user: user || undefined, password: password || undefined } }));
    } catch (e) {
      setError(e);
    } finally {
      setTesting(false);
    }
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(validateForm(form)).length > 0) return;
    setCreating(true);
    setError(undefined);
    try {
      setCreated(await api<Endpoint>('/endpoints', { method: 'POST', body: { ...settingsBody(form), name: form.name || 'db' } }));
    } catch (e) {
      setError(e);
    } finally {
      setCreating(false);
    }
  }

  if (created) {
    return (
      <>
        <PageHeader title={`Endpoint ${created.id} is ready`} subtitle="Point your clients at Tenants instead of the database; everything they run is recorded." />
        <div className="banner banner-ok" role="status">
          Created. <Link to={`/endpoints/${encodeURIComponent(created.id)}`}>Open the endpoint</Link> or{' '}
          <Link to="/explorer">watch its statements in the explorer</Link>.
        </div>
        {created.address && <ConnectionStrings address={created.address} />}
      </>
    );
  }

  return (
    <>
      <PageHeader title="Connect a database" subtitle="Tenants sits between your clients and this server, and records what they do." />
      <form className="card endpoint-form" onSubmit={create} noValidate>
        <ErrorBanner error={error} />
        <fieldset>
          <legend>1. Where is the database?</legend>
          <div className="row">
            <Field label="Host" placeholder="db.internal.example or 10.0.0.5" value={form.upstreamHost} onChange={set('upstreamHost')} error={problems.upstreamHost} required />
            <Field label="Port" inputMode="numeric" value={form.upstreamPort} onChange={set('upstreamPort')} error={problems.upstreamPort} />
          </div>
          <Field label="Default database (optional)" value={form.defaultDatabase} onChange={set('defaultDatabase')} hint="Clients may name another." />
        </fieldset>
        <fieldset>
          <legend>2. How does Tenants reach it?</legend>
          <div className="field">
            <label htmlFor="tls-mode">TLS to the database</label>
            <select id="tls-mode" value={form.tlsMode} onChange={(e) => setForm({ ...form, tlsMode: e.target.value as TlsMode })}>
              <option value="require">require (encrypted)</option>
              <option value="verify-full">verify-full (encrypted, certificate checked against a CA)</option>
              <option value="disable">disable (plain; only on a private network)</option>
            </select>
          </div>
          {form.tlsMode === 'verify-full' && (
            <div className="field">
              <label htmlFor="ca-pem">CA certificate (PEM)</label>
              <textarea id="ca-pem" rows={5} value={form.caCertificatePem} onChange={set('caCertificatePem')} aria-invalid={problems.caCertificatePem ? true : undefined} />
              {problems.caCertificatePem && <small className="field-error">{problems.caCertificatePem}</small>}
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>3. Credentials (optional)</legend>
          <p className="muted">
            To <strong>broker</strong> sign-ins, store a database role here: people then sign in with personal access tokens and every event
            names them. The password is sealed and never shown again. Without it, clients sign in with their own database roles.
          </p>
          <div className="row">
            <Field label="Brokered role" autoComplete="off" value={form.brokerUser} onChange={set('brokerUser')} error={problems.brokerUser} />
            <Field label="Brokered role’s password" type="password" autoComplete="new-password" value={form.brokerPassword} onChange={set('brokerPassword')} />
          </div>
          {!form.brokerUser && (
            <div className="row">
              <Field label="Test as user (not stored)" autoComplete="off" value={form.testUser} onChange={set('testUser')} />
              <Field label="Test password (not stored)" type="password" autoComplete="off" value={form.testPassword} onChange={set('testPassword')} />
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>4. Name</legend>
          <Field label="Endpoint name (optional)" value={form.name} onChange={set('name')} error={problems.name} hint="The endpoint id becomes name-xxxx; clients use it to reach this database." />
        </fieldset>
        {test && <ConnectionTestResult result={test} />}
        <div className="actions">
          <button type="button" className="button" onClick={runTest} disabled={testing}>
            {testing ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" className="button button-primary" disabled={creating}>
            {creating ? 'Creating…' : 'Create endpoint'}
          </button>
        </div>
      </form>
    </>
  );
}
