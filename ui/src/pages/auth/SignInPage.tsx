import { useState, type FormEvent } from 'react';
import { useAuth } from '../../app/auth';
import { Link, useNavigate, useSearchParams } from '../../app/router';
import { ErrorBanner, Field } from '../../components/ui';

export function SignInPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tenantId, setTenantId] = useState(params.get('tenant') ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(email, password, tenantId);
      navigate(safeReturn(params.get('return')), { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Tenants</h1>
        <ErrorBanner error={error} />
        <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <Field label="Tenant (optional)" hint="Leave empty for your first tenant." value={tenantId} onChange={(e) => setTenantId(e.target.value)} />
        <button className="button button-primary" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted">
          New here? <Link to="/signup">Create a tenant</Link>
        </p>
      </form>
    </div>
  );
}

/** Only same-site paths are followed after sign-in: never an absolute or protocol-relative URL from the query. */
export function safeReturn(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}
