export interface StateStore<T> {
  /** The current committed state. Callers must not mutate it. */
  read(): Readonly<T>;
  /** Runs `mutate` on a private copy of the state, serialized with every other update (FIFO queue,
   *  so nothing is lost across an await), validates the result, writes it durably, and only then
   *  makes it current and resolves with mutate's return value. If mutate throws or the result is
   *  invalid, nothing changes and the promise rejects. */
  update<R>(mutate: (draft: T) => R | Promise<R>): Promise<R>;
  close(): Promise<void>;
  /**
   * Where the state was loaded from at open: no file (a new installation), the main file, or a
   * backup (the main one missing or damaged); and the schema version it was written with.
   */
  readonly loadedFrom?:
    | { kind: 'none' }
    | { kind: 'main'; fromVersion: number }
    | { kind: 'backup'; file: string; fromVersion: number };
}

/** The subset of pino's logger the store uses, so a pino instance can be passed as is. */
export interface StoreLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Upgrades a stored document from version n-1 to n. */
export type Migration = (doc: unknown) => unknown;
