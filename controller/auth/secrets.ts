import { hash, verify } from '@node-rs/argon2';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { problem, type Problem } from '../../playlists/index.js';

// Algorithm 2 is argon2id; OWASP's minimum parameters (19 MiB, 2 passes) keep logins fast on small servers.
const ARGON2ID = 2;
const HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** An argon2id hash of a password, in PHC string form. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), HASH_OPTIONS);
}

/** Checks a password against a stored argon2 hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize('NFC'));
  } catch {
    return false;
  }
}

/** A random URL-safe secret with 256 bits of entropy. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The sha256 of a secret, hex: what the state keeps instead of the secret. */
export { sha256OfText as sha256Hex } from '../releases/canonical.js';

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Password rules: long enough to resist guessing, short enough to hash cheaply. The problem,
 * if any, is at `path`.
 */
export function passwordProblem(password: string, path: string): Problem | undefined {
  if (password.length < 10) {
    const params = { origin: 'string', minimum: 10, inclusive: true };
    return problem(path, 'too_small', params, 'must be at least 10 characters');
  }
  if (password.length > 200) {
    const params = { origin: 'string', maximum: 200, inclusive: true };
    return problem(path, 'too_big', params, 'must be at most 200 characters');
  }
  if (new Set(password).size < 4) {
    const message = 'must use at least 4 different characters';
    return problem(path, 'too_few_distinct', { minimum: 4 }, message);
  }
  return undefined;
}
