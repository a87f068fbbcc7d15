// Who is signed in: GET /me once at start and after every sign-in, sign-up or tenant switch. The CSRF token it
// returns goes on every change the portal makes.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthorized, setCsrfToken } from '../api/client';
import type { Me } from '../api/types';

type AuthState = { status: 'loading' } | { status: 'signed-out'; error?: string } | { status: 'signed-in'; me: Me };

export interface SignUpRequest {
  tenantId: string;
  tenantName: string;
  email: string;
  password: string;
}

interface AuthValue {
  state: AuthState;
  me: Me | null;
  can: (permission: string) => boolean;
  signIn: (email: string, password: string, tenantId?: string) => Promise<void>;
  signUp: (request: SignUpRequest) => Promise<void>;
  signOut: () => Promise<void>;
  switchTenant: (tenantId: string) => Promise<void>;
  refresh: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  const accept = useCallback((me: Me) => {
    setCsrfToken(me.csrfToken);
    setState({ status: 'signed-in', me });
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await api<Me>('/me'));
    } catch (error) {
      setCsrfToken(null);
      setState(
        error instanceof ApiError && error.status === 401
          ? { status: 'signed-out' }
          : { status: 'signed-out', error: error instanceof Error ? error.message : String(error) },
      );
    }
  }, [accept]);

  useEffect(() => {
    void refresh();
    return onUnauthorized(() => {
      setCsrfToken(null);
      setState({ status: 'signed-out' });
    });
  }, [refresh]);

  const value = useMemo<AuthValue>(() => {
    const me = state.status === 'signed-in' ? state.me : null;
    return {
      state,
      me,
      can: (permission) => !!me && me.permissions.includes(permission),
      signIn: async (email, password, tenantId) =>
        accept(await api<Me>('/session', { method: 'POST', body: { email, password, tenantId: tenantId || undefined } })),
      signUp: async (request) => accept(await api<Me>('/signup', { method: 'POST', body: request })),
      signOut: async () => {
        try {
          await api<void>('/session', { method: 'DELETE' });
        } finally {
          setCsrfToken(null);
          setState({ status: 'signed-out' });
        }
      },
      switchTenant: async (tenantId) => accept(await api<Me>('/session/tenant', { method: 'PUT', body: { tenantId } })),
      refresh,
    };
  }, [state, accept, refresh]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside <AuthProvider>');
  return value;
}
