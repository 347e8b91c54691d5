export type StoreErrorCode =
  /** A mutation produced a document the schema rejects. */
  | 'invalid-state'
  /** The stored document was written by a newer version of the code. */
  | 'newer-version'
  /** No migration is registered for a version step. */
  | 'missing-migration'
  /** Stored files exist but none of them holds a usable document. */
  | 'unrecoverable'
  /** The store was closed. */
  | 'closed';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Whether `error` is a system error with one of these codes (ENOENT, ...). */
export function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && 'code' in error && codes.includes(String(error.code));
}
