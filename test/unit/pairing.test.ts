import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  normalizeCode,
  PAIRING_ALPHABET,
  PAIRING_TTL_MS,
  PairingService,
} from '../../controller/players/pairing.js';
import {
  AppStateSchema,
  initialState,
  STATE_VERSION,
  type AppState,
} from '../../controller/state.js';
import { openJsonFileStore, type StateStore } from '../../controller/store/index.js';

describe('pairing codes', () => {
  let dir: string;
  let store: StateStore<AppState>;
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function service(clock: { now(): number }) {
    dir = await mkdtemp(path.join(tmpdir(), 'bangtin-pairing-'));
    store = await openJsonFileStore<AppState>({
      dir,
      schema: AppStateSchema,
      version: STATE_VERSION,
      migrations: {},
      initial: () => {
        const state = initialState();
        state.plans.push({
          format: 'bangtin-plan/1',
          plan: { id: 'p', title: 'P', timeZone: 'UTC' },
          phases: [],
          boards: [{ id: 'led', name: 'LED', width: 384, height: 128 }],
          content: [],
          playlists: [],
          schedules: [],
          announcements: [],
        });
        return state;
      },
    });
    return new PairingService(store, clock, 'public-key');
  }

  it('makes 8-character codes from an alphabet without 0/O, 1/I/L', async () => {
    const pairing = await service({ now: () => 0 });
    for (let i = 0; i < 50; i += 1) {
      const offer = pairing.offer(() => Promise.resolve(true));
      const code = normalizeCode(offer.code);
      expect(code).toHaveLength(8);
      expect(code).toMatch(new RegExp(`^[${PAIRING_ALPHABET}]{8}$`));
    }
    expect(PAIRING_ALPHABET).not.toMatch(/[01ILO]/);
  });

  it('refuses a code after 10 minutes, and a code a second time', async () => {
    let now = 1_000_000;
    const pairing = await service({ now: () => now });
    const late = pairing.offer(() => Promise.resolve(true));
    now += PAIRING_TTL_MS;
    await expect(pairing.claim(late.code, 'led', 'u-1')).rejects.toMatchObject({
      code: 'not_found',
    });
    const fresh = pairing.offer(() => Promise.resolve(true));
    now += PAIRING_TTL_MS - 1;
    const device = await pairing.claim(fresh.code.toLowerCase().replace('-', ' '), 'led', 'u-1');
    expect(device.boardId).toBe('led');
    await expect(pairing.claim(fresh.code, 'led', 'u-1')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('keeps no device when the player went away before it got its token', async () => {
    const pairing = await service({ now: () => 0 });
    const offer = pairing.offer(() => Promise.resolve(false));
    await expect(pairing.claim(offer.code, 'led', 'u-1')).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(store.read().devices).toEqual([]);
  });
});
