// The frame around every signed-in page: navigation (by what the member may do), the tenant switcher, the theme
// and sign-out. A skip link goes straight to the page's content.
import { useState, type ReactNode } from 'react';
import { Link, useRouter } from './router';
import { useAuth } from './auth';
import { useTheme, type Theme } from './theme';
import { ErrorBanner } from '../components/ui';

interface NavItem {
  to: string;
  label: string;
  permission?: string;
}

export const navigation: NavItem[] = [
  { to: '/', label: 'Dashboard', permission: 'events:read' },
  { to: '/endpoints', label: 'Endpoints', permission: 'endpoints:read' },
  { to: '/explorer', label: 'Explorer', permission: 'events:read' },
  { to: '/sessions', label: 'Sessions', permission: 'events:read' },
  { to: '/policies', label: 'Policies', permission: 'policy:read' },
  { to: '/integrity', label: 'Integrity', permission: 'ledger:read' },
  { to: '/exports', label: 'Exports', permission: 'exports:write' },
  { to: '/settings/members', label: 'Members', permission: 'members:read' },
  { to: '/settings/keys', label: 'Keys' },
];

function isActive(pathname: string, to: string): boolean {
  return to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
}

export function Shell({ children }: { children: ReactNode }) {
  const { me, can, signOut, switchTenant } = useAuth();
  const { location, navigate } = useRouter();
  const [theme, setTheme] = useTheme();
  const [error, setError] = useState<unknown>(undefined);
  if (!me) return null;
  const items = navigation.filter((item) => !item.permission || can(item.permission));

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Tenants, home">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>Tenants</span>
        </Link>
        <div className="topbar-right">
          {me.tenants.length > 1 ? (
            <label className="tenant-switcher">
              <span className="visually-hidden">Tenant</span>
              <select
                value={me.tenant.tenantId}
                onChange={async (event) => {
                  setError(undefined);
                  try {
                    await switchTenant(event.target.value);
                    navigate('/');
                  } catch (e) {
                    setError(e);
                  }
                }}
              >
                {me.tenants.map((t) => (
                  <option key={t.tenantId} value={t.tenantId}>
                    {t.displayName} ({t.role})
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span className="tenant-name" title={me.tenant.tenantId}>
              {me.tenant.displayName}
            </span>
          )}
          <label className="theme-switcher">
            <span className="visually-hidden">Theme</span>
            <select value={theme} onChange={(event) => setTheme(event.target.value as Theme)}>
              <option value="system">System theme</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          <span className="muted who" title={me.role}>
            {me.email}
          </span>
          <button type="button" className="button button-small" onClick={() => void signOut().then(() => navigate('/signin'))}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {items.map((item) => (
            <li key={item.to}>
              <Link to={item.to} aria-current={isActive(location.pathname, item.to) ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <ErrorBanner error={error} title="Could not switch tenant." />
        {children}
      </main>
    </div>
  );
}
