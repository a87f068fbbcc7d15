import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { Role } from '../../api/types';
import { useAuth } from '../../app/auth';
import { CodeBlock, ErrorBanner, Field, formatTime, Loading, PageHeader } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useApi } from '../../components/useApi';

interface Member {
  id: string;
  email: string;
  role: Role;
  added: string;
}

export const roles: { value: Role; description: string }[] = [
  { value: 'owner', description: 'everything, including other owners' },
  { value: 'admin', description: 'everything but owners' },
  { value: 'auditor', description: 'read events and ledger, export, read endpoints, policy and members' },
  { value: 'developer', description: 'read events, ledger, endpoints and policy' },
];

/** The tenant's members and their roles; invitations as one-time links. */
export function MembersPage() {
  const { me, can } = useAuth();
  const members = useApi((signal) => api<{ items: Member[] }>('/members', { signal }), []);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('developer');
  const [invitation, setInvitation] = useState<{ email: string; link: string; expires: string } | null>(null);
  const action = useAction();
  const writable = can('members:write');

  function invite(event: FormEvent) {
    event.preventDefault();
    void action.run('invite', async () => {
      const created = await api<{ member: Member; invitationToken: string; expires: string }>('/members', { method: 'POST', body: { email, role } });
      setInvitation({ email, link: `${window.location.origin}/invitations/${encodeURIComponent(created.invitationToken)}`, expires: created.expires });
      setEmail('');
      members.reload();
    });
  }

  const change = (member: Member, next: Role) =>
    action.run('role', async () => {
      await api(`/members/${encodeURIComponent(member.id)}`, { method: 'PATCH', body: { role: next } });
      members.reload();
    });

  const remove = (member: Member) => {
    if (!window.confirm(`Remove ${member.email}? Their sessions and tokens stop at once.`)) return;
    void action.run('remove', async () => {
      await api(`/members/${encodeURIComponent(member.id)}`, { method: 'DELETE' });
      members.reload();
    });
  };

  return (
    <>
      <PageHeader title="Members" subtitle="Who can see and change this tenant, and how much." />
      <ErrorBanner error={action.error} />
      {invitation && (
        <div className="banner banner-ok" role="status">
          Send this link to {invitation.email}; it works once, until {formatTime(invitation.expires)}, and is not shown again.
          <CodeBlock code={invitation.link} />
        </div>
      )}
      {writable && (
        <form className="card invite-form" onSubmit={invite}>
          <h2>Invite someone</h2>
          <div className="form-row">
            <Field label="Email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            <div className="field">
              <label htmlFor="invite-role">Role</label>
              <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {roles
                  .filter((r) => r.value !== 'owner' || me?.role === 'owner')
                  .map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.value}: {r.description}
                    </option>
                  ))}
              </select>
            </div>
          </div>
          <button type="submit" className="button button-primary">
            Create invitation
          </button>
        </form>
      )}
      <ErrorBanner error={members.error} />
      {members.loading && !members.data && <Loading />}
      {members.data && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Added</th>
              {writable && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {members.data.items.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.email} {m.id === me?.memberId && <span className="badge">you</span>}
                </td>
                <td>
                  {writable ? (
                    <select aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => void change(m, e.target.value as Role)}>
                      {roles.map((r) => (
                        <option key={r.value} value={r.value}>
                          {r.value}
                        </option>
                      ))}
                    </select>
                  ) : (
                    m.role
                  )}
                </td>
                <td>{formatTime(m.added)}</td>
                {writable && (
                  <td>
                    <button type="button" className="button button-small button-danger" onClick={() => remove(m)}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
