import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api';

export type Role = 'admin' | 'editor' | 'approver' | 'technician' | 'viewer';

export interface User {
  id: string;
  username: string;
  role: Role;
  name?: string;
}

/** `GET /api/auth/me`: who is logged in and which routes they may call. */
export interface Me {
  user: User;
  via: 'session' | 'bearer';
  csrfToken: string | null;
  allowed: string[];
}

export interface Session {
  api: Api;
  me: Me;
  /** True when the controller lets this user call `METHOD /path` (as in the route table). */
  can: (route: string) => boolean;
  /** The plan the plan-scoped pages work on. */
  planId: string | null;
  setPlanId: (planId: string) => void;
  logout: () => void;
  /** Tell every page that shared data changed (a plan imported, a release published). */
  changed: () => void;
  /** Increases on each `changed()`; pages list it as a dependency to reload. */
  generation: number;
  /** The controller's time (its clock may be simulated for a demo), ms since the epoch. */
  now: () => number;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the logged-in app');
  return session;
}
