import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Bundle, PlayRecord } from '../../playlists/protocol.js';

interface PlayerDb extends DBSchema {
  kv: { key: string; value: unknown };
  pop: { key: string; value: PlayRecord };
}

/** What a player keeps between reloads: credentials, its bundle, its clock offset, blank-all. */
export interface Credentials {
  token: string;
  boardId: string;
  /** The controller's release key: bundles that do not verify with it are refused. */
  publicKey: string;
}

const DB_NAME = 'bangtin-player';
/** Cache Storage for the files bundles name (banners), addressed by hash. */
export const FILES_CACHE = 'bangtin-files-v1';

/** The player's IndexedDB: survives reloads, power cuts and days offline. */
export class PlayerStorage {
  private constructor(private readonly db: IDBPDatabase<PlayerDb>) {}

  static async open(): Promise<PlayerStorage> {
    const db = await openDB<PlayerDb>(DB_NAME, 1, {
      upgrade(database) {
        database.createObjectStore('kv');
        database.createObjectStore('pop', { keyPath: 'id' });
      },
    });
    return new PlayerStorage(db);
  }

  async credentials(): Promise<Credentials | undefined> {
    const value = (await this.db.get('kv', 'credentials')) as Credentials | undefined;
    return value &&
      typeof value.token === 'string' &&
      typeof value.boardId === 'string' &&
      typeof value.publicKey === 'string'
      ? value
      : undefined;
  }

  async setCredentials(credentials: Credentials): Promise<void> {
    await this.db.put('kv', credentials, 'credentials');
  }

  async bundle(): Promise<Bundle | undefined> {
    return (await this.db.get('kv', 'bundle')) as Bundle | undefined;
  }

  async setBundle(bundle: Bundle): Promise<void> {
    await this.db.put('kv', bundle, 'bundle');
  }

  async clockOffset(): Promise<number> {
    const value = await this.db.get('kv', 'clockOffsetMs');
    return typeof value === 'number' && Number.isFinite(value) ? value : 0;
  }

  async setClockOffset(offsetMs: number): Promise<void> {
    await this.db.put('kv', offsetMs, 'clockOffsetMs');
  }

  /** The approvers' blank-all switch as last heard, so a reload offline stays black. */
  async blankAll(): Promise<boolean> {
    return (await this.db.get('kv', 'blankAll')) === true;
  }

  async setBlankAll(blank: boolean): Promise<void> {
    await this.db.put('kv', blank, 'blankAll');
  }

  async addPlay(record: PlayRecord): Promise<void> {
    await this.db.put('pop', record);
  }

  async pendingPlays(limit: number): Promise<PlayRecord[]> {
    return this.db.getAll('pop', undefined, limit);
  }

  async countPlays(): Promise<number> {
    return this.db.count('pop');
  }

  async forgetPlays(ids: readonly string[]): Promise<void> {
    const tx = this.db.transaction('pop', 'readwrite');
    await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
  }

  /** Forgets everything: a revoked player keeps nothing of its controller. */
  async wipe(): Promise<void> {
    const tx = this.db.transaction(['kv', 'pop'], 'readwrite');
    await Promise.all([tx.objectStore('kv').clear(), tx.objectStore('pop').clear(), tx.done]);
    await caches.delete(FILES_CACHE);
  }
}
