import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAuth } from '../../app/auth';
import { Link, useNavigate } from '../../app/router';
import { ErrorBanner, Field } from '../../components/ui';

interface Accepted {
  tenantId: string;
  email: string;
  accountCreated: boolean;
  signedIn: boolean;
}

/** Accepting an invitation: a new person sets a password; someone with an account just accepts, then signs in. */
export function InvitationPage({ token }: { token: string }) {
  const { refresh } = useAuth();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [accepted, setAccepted] = useState<Accepted | null>(null);

  async function accept(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const result = await api<Accepted>(`/invitations/${encodeURIComponent(token)}`, { method: 'POST', body: { password: password || undefined } });
      setAccepted(result);
      if (result.signedIn) {
        await refresh();
        navigate('/', { replace: true });
      }
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={accept} aria-labelledby="invite-title">
        <h1 id="invite-title">Join a tenant on Tenants</h1>
        {accepted && !accepted.signedIn ? (
          <div className="banner banner-ok" role="status">
            You are now a member of {accepted.tenantId}. <Link to={`/signin?tenant=${encodeURIComponent(accepted.tenantId)}`}>Sign in</Link> with your
            existing password.
          </div>
        ) : (
          <>
            <p className="muted">New to Tenants? Choose a password. Already have an account? Leave it empty and accept.</p>
            <ErrorBanner error={error} />
            <Field label="Password" type="password" autoComplete="new-password" minLength={12} value={password} onChange={(e) => setPassword(e.target.value)} hint="12 characters or more." />
            <button className="button button-primary" type="submit">
              Accept invitation
            </button>
          </>
        )}
      </form>
    </div>
  );
}
