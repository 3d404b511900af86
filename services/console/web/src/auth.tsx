import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setAuth } from './api/client';

export type Role = 'company' | 'hub_staff' | 'partner' | 'admin';
export interface Session {
  token: string;
  role: Role;
  sub: string;
  /** The organisation a company user acts for. */
  org?: string;
  /** Seconds since the epoch. */
  exp: number;
}

const STORAGE_KEY = 'lm.session';

/**
 * Reads the claims the console needs to choose pages. The token is not verified here: the
 * services verify it on every call (the console never trusts it for access).
 */
export function sessionFromToken(token: string): Session | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { role?: Role; sub?: string; org?: string; exp?: number };
    if (!claims.role || !claims.sub || !claims.exp) return undefined;
    if (claims.exp * 1000 <= Date.now()) return undefined;
    return { token, role: claims.role, sub: claims.sub, ...(claims.org ? { org: claims.org } : {}), exp: claims.exp };
  } catch {
    return undefined;
  }
}

function stored(): Session | undefined {
  const token = sessionStorage.getItem(STORAGE_KEY);
  return token ? sessionFromToken(token) : undefined;
}

interface AuthState {
  session: Session | undefined;
  signIn(token: string): boolean;
  signOut(): void;
}
const AuthContext = createContext<AuthState | undefined>(undefined);

/** The token lives in sessionStorage: it survives a reload, not the closing of the tab. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(stored);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setSession(undefined);
  }, []);
  const signIn = useCallback((token: string) => {
    const next = sessionFromToken(token);
    if (!next) return false;
    sessionStorage.setItem(STORAGE_KEY, token);
    setSession(next);
    return true;
  }, []);
  // Set synchronously so the first queries of a freshly rendered page already carry the token.
  setAuth(session?.token, signOut);
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(signOut, Math.max(0, session.exp * 1000 - Date.now()));
    return () => clearTimeout(timer);
  }, [session, signOut]);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

export const isStaff = (s: Session | undefined) => s?.role === 'hub_staff' || s?.role === 'admin';
