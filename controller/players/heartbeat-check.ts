import type { Heartbeat } from '../../playlists/index.js';

// The bounds of HeartbeatSchema (playlists/protocol.ts), which stays the rule.
const MAX_MS = 253_402_300_799_999;
const MAX_CLOCK_OFFSET_MS = 8.64e15;
const MAX_SCREEN_SIDE = 100_000;
const MAX_ID_LENGTH = 64;
const MAX_ERRORS = 20;
const MAX_ERROR_LENGTH = 500;
const KINDS: ReadonlySet<unknown> = new Set(['item', 'announcement', 'idle', 'blank']);
const HEARTBEAT_KEYS: ReadonlySet<string> = new Set([
  'nowPlaying',
  'bundleVersion',
  'uptimeMs',
  'clockOffsetMs',
  'screen',
  'errors',
]);
const NOW_PLAYING_KEYS: ReadonlySet<string> = new Set([
  'id',
  'kind',
  'startedAtMs',
  'bundleVersion',
]);
const SCREEN_KEYS: ReadonlySet<string> = new Set(['width', 'height']);

/** A plain object whose own keys are exactly `keys` (a strict object's). */
function plainObject(value: unknown, keys: ReadonlySet<string>): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const own = Object.keys(value);
  if (own.length !== keys.size) return false;
  for (const key of own) if (!keys.has(key)) return false;
  return true;
}

function ms(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_MS;
}

function version(value: unknown): boolean {
  return value === null || (Number.isSafeInteger(value) && (value as number) > 0);
}

function side(value: unknown): boolean {
  return (
    Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_SCREEN_SIDE
  );
}

/**
 * True for a heartbeat that HeartbeatSchema accepts as it is, checked by hand. Every board
 * sends one every 30 s; on a controller serving thousands, zod's general parse costs tens of
 * microseconds each (its code is shared by every schema), this a fraction of one (M2 of issue
 * #7). Sound, not complete: what it accepts the schema accepts (test/unit/heartbeat-check.test.ts
 * checks so on generated, mutated and hostile heartbeats); what it does not goes to the schema,
 * which has the last word and gives the reasons.
 */
export function plainHeartbeat(value: unknown): value is Heartbeat {
  if (!plainObject(value, HEARTBEAT_KEYS)) return false;
  const { nowPlaying, bundleVersion, uptimeMs, clockOffsetMs, screen, errors } = value;
  if (!plainObject(nowPlaying, NOW_PLAYING_KEYS)) return false;
  const { id, kind, startedAtMs } = nowPlaying;
  if (typeof id !== 'string' || id.length > MAX_ID_LENGTH) return false;
  if (!KINDS.has(kind) || !ms(startedAtMs) || !version(nowPlaying.bundleVersion)) return false;
  if (!version(bundleVersion) || !ms(uptimeMs)) return false;
  if (
    typeof clockOffsetMs !== 'number' ||
    !Number.isFinite(clockOffsetMs) ||
    clockOffsetMs < -MAX_CLOCK_OFFSET_MS ||
    clockOffsetMs > MAX_CLOCK_OFFSET_MS
  ) {
    return false;
  }
  if (!plainObject(screen, SCREEN_KEYS) || !side(screen.width) || !side(screen.height))
    return false;
  if (!Array.isArray(errors) || errors.length > MAX_ERRORS) return false;
  for (const error of errors as unknown[]) {
    if (typeof error !== 'string' || error.length > MAX_ERROR_LENGTH) return false;
  }
  return true;
}
