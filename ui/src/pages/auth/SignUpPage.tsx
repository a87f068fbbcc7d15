import { useState, type FormEvent } from 'react';
import { useAuth } from '../../app/auth';
import { Link, useNavigate } from '../../app/router';
import { ErrorBanner, Field } from '../../components/ui';

/** A tenant id from its display name: lower case, digits and dashes, as the API accepts. */
export function suggestTenantId(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

export function SignUpPage() {
  const { signUp } = useAuth();
  const navigate = useNavigate();
  const [tenantName, setTenantName] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [idEdited, setIdEdited] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const passwordProblem = password.length > 0 && password.length < 12 ? 'At least 12 characters.' : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signUp({ tenantId, tenantName, email, password });
      navigate('/endpoints/new', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} aria-labelledby="signup-title">
        <h1 id="signup-title">Create your tenant</h1>
        <p className="muted">Every statement through your endpoints is recorded in a ledger only you can read and anyone can verify.</p>
        <ErrorBanner error={error} />
        <Field
          label="Organisation name"
          required
          value={tenantName}
          onChange={(e) => {
            setTenantName(e.target.value);
            if (!idEdited) setTenantId(suggestTenantId(e.target.value));
          }}
          autoFocus
        />
        <Field
          label="Tenant id"
          hint="Lower-case letters, digits and dashes; part of your endpoints' names."
          required
          pattern="[a-z0-9][a-z0-9\-]*"
          value={tenantId}
          onChange={(e) => {
            setIdEdited(true);
            setTenantId(e.target.value);
          }}
        />
        <Field label="Your email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          hint="12 characters or more, not your email."
          error={passwordProblem}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button className="button button-primary" type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create tenant'}
        </button>
        <p className="muted">
          Already have an account? <Link to="/signin">Sign in</Link>
        </p>
      </form>
    </div>
  );
}
