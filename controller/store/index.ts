export type { Migration, StateStore, StoreLogger } from './types.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { openJsonFileStore, type JsonFileStoreOptions } from './json-file-store.js';
