import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { problem as problemAt } from '../../playlists/problems.js';
import { ApiError } from '../http/errors.js';
import type { AppState, Role, Session, User } from '../state.js';
import type { StateStore } from '../store/index.js';
import {
  hashPassword,
  passwordProblem,
  randomSecret,
  sha256Hex,
  verifyPassword,
} from './secrets.js';

/** How long a login lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** What a user record looks like outside the server: never the hash. */
export interface PublicUser {
  id: string;
  username: string;
  displayName?: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

/** A user without secrets. */
export function publicUser(user: User): PublicUser {
  return {
    id: user.id,
    username: user.username,
    ...(user.displayName === undefined ? {} : { displayName: user.displayName }),
    role: user.role,
    disabled: user.disabled ?? false,
    createdAt: user.createdAt,
  };
}

/** How many sessions and API tokens of a user were ended (audit details). */
export interface CredentialsEnded {
  endedSessions: number;
  revokedTokens: number;
}

/**
 * Ends every session and revokes every API token of a user, inside a state update: what a
 * password change or reset, disabling and deleting a user all do.
 */
export function endCredentials(state: AppState, userId: string): CredentialsEnded {
  const sessions = state.sessions.length;
  const tokens = state.apiTokens.length;
  state.sessions = state.sessions.filter((s) => s.userId !== userId);
  state.apiTokens = state.apiTokens.filter((t) => t.userId !== userId);
  return {
    endedSessions: sessions - state.sessions.length,
    revokedTokens: tokens - state.apiTokens.length,
  };
}

/** A new random id with a readable prefix. */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(9)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x')}`;
}

/** Users, logins, sessions and API tokens over the state store. */
export class AuthService {
  // Verified against when the username is unknown, so that the answer takes as long as for a real user.
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly store: StateStore<AppState>,
    private readonly clock: Clock,
  ) {}

  private iso(offsetMs = 0): string {
    return new Date(this.clock.now() + offsetMs).toISOString();
  }

  /** Checks a username and password; on success opens a session and returns its cookie value. */
  async login(
    username: string,
    password: string,
  ): Promise<{ user: User; cookieValue: string; session: Session }> {
    const user = this.store
      .read()
      .users.find((u) => u.username === username && u.disabled !== true);
    this.decoyHash ??= hashPassword(randomSecret());
    const ok = await verifyPassword(user?.passwordHash ?? (await this.decoyHash), password);
    if (!user || !ok) throw new ApiError('invalid_credentials', 'wrong username or password');
    const cookieValue = randomSecret();
    const session: Session = {
      id: sha256Hex(cookieValue),
      userId: user.id,
      csrfToken: randomSecret(),
      createdAt: this.iso(),
      expiresAt: this.iso(SESSION_TTL_MS),
    };
    const now = this.clock.now();
    await this.store.update((state) => {
      state.sessions = state.sessions.filter((s) => Date.parse(s.expiresAt) > now);
      state.sessions.push(session);
    });
    return { user, cookieValue, session };
  }

  async logout(sessionId: string): Promise<void> {
    await this.store.update((state) => {
      state.sessions = state.sessions.filter((s) => s.id !== sessionId);
    });
  }

  /** The live session and its user for a cookie value, if any. */
  sessionFor(cookieValue: string): { session: Session; user: User } | undefined {
    const id = sha256Hex(cookieValue);
    const state = this.store.read();
    const session = state.sessions.find((s) => s.id === id);
    if (!session || Date.parse(session.expiresAt) <= this.clock.now()) return undefined;
    const user = state.users.find((u) => u.id === session.userId && u.disabled !== true);
    return user ? { session, user } : undefined;
  }

  /** The user of a bearer token, if the token is known. */
  userForToken(token: string): User | undefined {
    const tokenHash = sha256Hex(token);
    const state = this.store.read();
    const record = state.apiTokens.find((t) => t.tokenHash === tokenHash);
    if (!record) return undefined;
    return state.users.find((u) => u.id === record.userId && u.disabled !== true);
  }

  /** Makes an API token for a user; the secret is returned once and only its hash is kept. */
  async createToken(userId: string, name: string): Promise<{ id: string; token: string }> {
    const id = newId('tok');
    const token = `bt_${randomSecret()}`;
    await this.store.update((state) => {
      state.apiTokens.push({
        id,
        userId,
        name,
        tokenHash: sha256Hex(token),
        createdAt: this.iso(),
      });
    });
    return { id, token };
  }

  async createUser(input: {
    username: string;
    password: string;
    role: Role;
    displayName?: string | undefined;
  }): Promise<User> {
    const problem = passwordProblem(input.password, '$.body.password');
    if (problem) throw new ApiError('invalid_request', 'the password is too weak', [problem]);
    const passwordHash = await hashPassword(input.password);
    return this.store.update((state) => {
      if (state.users.some((u) => u.username === input.username)) {
        throw new ApiError('conflict', `user "${input.username}" exists`, [
          problemAt(
            '$.body.username',
            'username_taken',
            { username: input.username },
            `user "${input.username}" exists`,
          ),
        ]);
      }
      const user: User = {
        id: newId('u'),
        username: input.username,
        role: input.role,
        passwordHash,
        createdAt: this.iso(),
        ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
      };
      state.users.push(user);
      return user;
    });
  }

  /**
   * Replaces a user's password and ends their sessions and revokes their API tokens (a password
   * is changed or reset because it may be known to someone else, who may have made tokens with
   * it); a weak one is refused at `path`, the request's field that held it. Answers how many
   * sessions and tokens went, for the audit log.
   */
  async setPassword(
    userId: string,
    password: string,
    path = '$.body.password',
  ): Promise<CredentialsEnded> {
    const problem = passwordProblem(password, path);
    if (problem) throw new ApiError('invalid_request', 'the password is too weak', [problem]);
    const passwordHash = await hashPassword(password);
    return this.store.update((state) => {
      const user = state.users.find((u) => u.id === userId);
      if (!user) throw new ApiError('not_found', 'no such user');
      user.passwordHash = passwordHash;
      user.updatedAt = this.iso();
      return endCredentials(state, userId);
    });
  }

  async checkPassword(userId: string, password: string): Promise<boolean> {
    const user = this.store.read().users.find((u) => u.id === userId);
    return user ? verifyPassword(user.passwordHash, password) : false;
  }
}
