// The route table. Pages load on first use (each its own chunk), so the first page stays small.
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useAuth } from './auth';
import { Routes, useNavigate, useRouter, type Route } from './router';
import { Shell } from './Shell';
import { SignInPage } from '../pages/auth/SignInPage';
import { SignUpPage } from '../pages/auth/SignUpPage';
import { ErrorBanner, Loading } from '../components/ui';

const page = <P extends object = object>(load: () => Promise<unknown>, name: string) =>
  lazy(async () => ({ default: ((await load()) as Record<string, React.ComponentType<P>>)[name]! }));

const DashboardPage = page(() => import('../pages/dashboard/DashboardPage'), 'DashboardPage');
const EndpointsPage = page(() => import('../pages/endpoints/EndpointsPage'), 'EndpointsPage');
const NewEndpointPage = page(() => import('../pages/endpoints/NewEndpointPage'), 'NewEndpointPage');
const EndpointPage = page<{ id: string }>(() => import('../pages/endpoints/EndpointPage'), 'EndpointPage');
const ExplorerPage = page(() => import('../pages/explorer/ExplorerPage'), 'ExplorerPage');
const EventPage = page<{ id: string }>(() => import('../pages/explorer/EventPage'), 'EventPage');
const SessionsPage = page(() => import('../pages/explorer/SessionsPage'), 'SessionsPage');
const SessionPage = page<{ id: string }>(() => import('../pages/explorer/SessionPage'), 'SessionPage');
const PoliciesPage = page(() => import('../pages/policies/PoliciesPage'), 'PoliciesPage');
const IntegrityPage = page(() => import('../pages/integrity/IntegrityPage'), 'IntegrityPage');
const ExportsPage = page(() => import('../pages/exports/ExportsPage'), 'ExportsPage');
const MembersPage = page(() => import('../pages/settings/MembersPage'), 'MembersPage');
const KeysPage = page(() => import('../pages/settings/KeysPage'), 'KeysPage');
const InvitationPage = page<{ token: string }>(() => import('../pages/auth/InvitationPage'), 'InvitationPage');

/** Signed-in pages. */
export const routes: Route[] = [
  { path: '/', render: () => <DashboardPage /> },
  { path: '/endpoints', render: () => <EndpointsPage /> },
  { path: '/endpoints/new', render: () => <NewEndpointPage /> },
  { path: '/endpoints/:id', render: (p) => <EndpointPage id={p.id!} /> },
  { path: '/explorer', render: () => <ExplorerPage /> },
  { path: '/events/:id', render: (p) => <EventPage id={p.id!} /> },
  { path: '/sessions', render: () => <SessionsPage /> },
  { path: '/sessions/:id', render: (p) => <SessionPage id={p.id!} /> },
  { path: '/policies', render: () => <PoliciesPage /> },
  { path: '/integrity', render: () => <IntegrityPage /> },
  { path: '/exports', render: () => <ExportsPage /> },
  { path: '/settings/members', render: () => <MembersPage /> },
  { path: '/settings/keys', render: () => <KeysPage /> },
];

/** Pages for people who are not signed in (an invitation works either way). */
const publicRoutes: Route[] = [
  { path: '/signin', render: () => <SignInPage /> },
  { path: '/signup', render: () => <SignUpPage /> },
  { path: '/invitations/:token', render: (p) => <InvitationPage token={p.token!} /> },
];

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p className="muted">There is no page at this address. Use the navigation to find your way.</p>
    </section>
  );
}

function RedirectToSignIn() {
  const { location } = useRouter();
  const navigate = useNavigate();
  useEffect(() => {
    const here = `${location.pathname}${location.search}`;
    navigate(here === '/' ? '/signin' : `/signin?return=${encodeURIComponent(here)}`, { replace: true });
  }, [location, navigate]);
  return null;
}

function Redirect({ to }: { to: string }) {
  const navigate = useNavigate();
  useEffect(() => navigate(to, { replace: true }), [navigate, to]);
  return null;
}

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

export function App() {
  const { state } = useAuth();
  const { location } = useRouter();
  const isPublic = publicRoutes.some((r) => r.path.split('/')[1] === location.pathname.split('/')[1]);

  if (state.status === 'loading') return <Loading label="Opening Tenants" />;
  if (isPublic && state.status === 'signed-in' && !location.pathname.startsWith('/invitations/')) return <Redirect to="/" />;
  if (isPublic) {
    return (
      <Lazy>
        <Routes routes={publicRoutes} fallback={<NotFound />} />
      </Lazy>
    );
  }
  if (state.status === 'signed-out') {
    return (
      <>
        {state.error && <ErrorBanner error={state.error} title="Tenants could not be reached." />}
        <RedirectToSignIn />
      </>
    );
  }
  return (
    <Shell>
      <Lazy>
        <Routes routes={routes} fallback={<NotFound />} />
      </Lazy>
    </Shell>
  );
}
