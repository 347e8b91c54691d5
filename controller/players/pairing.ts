import { randomInt } from 'node:crypto';
import type { PairingComplete, PairingOffer } from '../../playlists/index.js';
import { newId } from '../auth/service.js';
import { randomSecret, sha256Hex } from '../auth/secrets.js';
import type { Clock } from '../clock.js';
import { ApiError } from '../http/errors.js';
import type { AppState, Device } from '../state.js';
import type { StateStore } from '../store/index.js';

/** No 0/O, 1/I/L: a code read off a 192×64 board must not be mistyped. */
export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 8;
export const PAIRING_TTL_MS = 10 * 60 * 1000;

/** A code as typed by a person: any case, with or without separators. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Shows a code in two groups of four, easier to read aloud. */
export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

interface Waiting {
  expiresAtMs: number;
  /** Hands the token to the waiting player; resolves true once it confirmed receipt. */
  deliver(complete: PairingComplete): Promise<boolean>;
}

/** A device as the API shows it: never the token hash. */
export interface PublicDevice {
  id: string;
  boardId: string;
  pairedAt: string;
  pairedBy: string;
  revokedAt?: string;
}

export function publicDevice(device: Device): PublicDevice {
  return {
    id: device.id,
    boardId: device.boardId,
    pairedAt: device.pairedAt,
    pairedBy: device.pairedBy,
    ...(device.revokedAt === undefined ? {} : { revokedAt: device.revokedAt }),
  };
}

/**
 * Pairing codes for players without a token: single use, short-lived, held in memory
 * (a restart simply makes waiting players ask for a new code).
 */
export class PairingService {
  private readonly waiting = new Map<string, Waiting>();
  /** Devices by token hash, for the device list it was built from (each update makes a new one). */
  private tokenIndex: { devices: readonly Device[]; byHash: Map<string, Device> } | undefined;

  constructor(
    private readonly store: StateStore<AppState>,
    private readonly clock: Clock,
    /** The release key players must verify bundles with. */
    private readonly publicKey: string,
  ) {}

  /** A fresh code for a waiting player. */
  offer(deliver: Waiting['deliver']): Omit<PairingOffer, 'expiresInMs'> & { withdraw: () => void } {
    this.sweep();
    let code = '';
    do {
      code = Array.from({ length: PAIRING_CODE_LENGTH }, () =>
        PAIRING_ALPHABET.charAt(randomInt(PAIRING_ALPHABET.length)),
      ).join('');
    } while (this.waiting.has(code));
    const expiresAtMs = this.clock.now() + PAIRING_TTL_MS;
    this.waiting.set(code, { expiresAtMs, deliver });
    return { code: formatCode(code), expiresAtMs, withdraw: () => this.waiting.delete(code) };
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [code, w] of this.waiting) if (w.expiresAtMs <= now) this.waiting.delete(code);
  }

  /** Binds the player showing `code` to a board: the player gets a token, the state its hash. */
  async claim(code: string, boardId: string, userId: string): Promise<PublicDevice> {
    this.sweep();
    const key = normalizeCode(code);
    const waiting = this.waiting.get(key);
    if (!waiting) throw new ApiError('not_found', 'unknown or expired pairing code');
    const known = this.store.read().plans.some((p) => p.boards.some((b) => b.id === boardId));
    if (!known) throw new ApiError('not_found', `no board "${boardId}"`);
    // Single use: the code is gone whatever happens next.
    this.waiting.delete(key);
    const token = `pt_${randomSecret()}`;
    const device: Device = {
      id: newId('dev'),
      boardId,
      tokenHash: sha256Hex(token),
      pairedAt: new Date(this.clock.now()).toISOString(),
      pairedBy: userId,
    };
    await this.store.update((state) => {
      state.devices.push(device);
    });
    const delivered = await waiting
      .deliver({ token, boardId, publicKey: this.publicKey })
      .catch(() => false);
    if (!delivered) {
      await this.store.update((state) => {
        state.devices = state.devices.filter((d) => d.id !== device.id);
      });
      throw new ApiError('conflict', 'the player went away before it got its token; pair again');
    }
    return publicDevice(device);
  }

  /** The live device of a token, or why there is none. */
  deviceForToken(token: string): { device: Device } | { refused: 'unknown_token' | 'revoked' } {
    const device = this.devicesByTokenHash().get(sha256Hex(token));
    if (!device) return { refused: 'unknown_token' };
    if (device.revokedAt !== undefined) return { refused: 'revoked' };
    return { device };
  }

  /**
   * Token lookups are one per player connection: after a restart 10,000 boards reconnect at
   * once, and a scan of the device list each would be 50 million comparisons.
   */
  private devicesByTokenHash(): Map<string, Device> {
    const { devices } = this.store.read();
    if (this.tokenIndex?.devices !== devices) {
      this.tokenIndex = { devices, byHash: new Map(devices.map((d) => [d.tokenHash, d])) };
    }
    return this.tokenIndex.byHash;
  }

  /** Revokes every live device of a board (or one device); returns the ids revoked. */
  async revoke(filter: { boardId?: string; deviceId?: string }, userId: string): Promise<string[]> {
    return this.store.update((state) => {
      const revoked: string[] = [];
      for (const d of state.devices) {
        if (d.revokedAt !== undefined) continue;
        if (filter.boardId !== undefined && d.boardId !== filter.boardId) continue;
        if (filter.deviceId !== undefined && d.id !== filter.deviceId) continue;
        d.revokedAt = new Date(this.clock.now()).toISOString();
        d.revokedBy = userId;
        revoked.push(d.id);
      }
      if (revoked.length === 0) throw new ApiError('not_found', 'no paired device to revoke');
      return revoked;
    });
  }
}
