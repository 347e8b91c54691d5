import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { canonicalJson, sha256OfBytes, sha256OfText } from '../releases/canonical.js';
import { syncDirectory, writeFileDurably } from '../store/durable-write.js';
import type { StoreLogger } from '../store/index.js';
import {
  AuditEntrySchema,
  type AuditActor,
  type AuditDetails,
  type AuditEntry,
  type AuditOrigin,
  type AuditOutcome,
  type AuditPage,
} from './entry.js';

export const AUDIT_FILE = 'audit.ndjson';
/** The prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
const MAX_DETAILS_CHARS = 4096;
const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
/** What a caller tells the log; it adds seq, time and the hashes. */
export interface AuditInput {
  actor: AuditActor;
  action: string;
  target?: string | undefined;
  outcome: AuditOutcome;
  details?: AuditDetails | undefined;
  from: AuditOrigin;
}

/** Where the log's entries go: the file-backed AuditLog, or a fake in a test. */
export interface AuditSink {
  append(input: AuditInput): Promise<AuditEntry>;
  /**
   * Whether entries can be written now: false while some could not be (a full disk), after
   * trying them again. A change must not be made while it is false, since it could not be
   * audited. Sinks that never fail need not implement it.
   */
  writable?(): Promise<boolean>;
}

export const SYSTEM_ACTOR: AuditActor = { kind: 'system' };
/** The origin of what the controller does by itself (first-start seeding, log repair). */
export const LOCAL_ORIGIN: AuditOrigin = { ip: 'local' };

/** The audit log of a data directory. */
export function auditFilePath(dataDir: string): string {
  return path.join(dataDir, 'audit', AUDIT_FILE);
}

/** sha256 of the canonical JSON of an entry without its `hash` field. */
export function auditHash(entry: Record<string, unknown>): string {
  const rest = { ...entry };
  delete rest.hash;
  return sha256OfText(canonicalJson(rest));
}

/** canonicalJson cannot hold a `__proto__` key, so a line with one could hide data from the hash. */
function parseJsonLine(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (key === '__proto__') throw new SyntaxError('a "__proto__" key');
    return value;
  });
}

function parseEntry(text: string): AuditEntry | undefined {
  try {
    const parsed = AuditEntrySchema.safeParse(parseJsonLine(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function readRange(handle: FileHandle, start: number, end: number): Promise<Buffer> {
  const buffer = Buffer.alloc(end - start);
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, start + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

/** The offset just after the last newline before `end` (0 when there is none). */
async function afterLastNewline(handle: FileHandle, end: number): Promise<number> {
  for (let chunkEnd = end; chunkEnd > 0;) {
    const chunkStart = Math.max(0, chunkEnd - CHUNK_BYTES);
    const chunk = await readRange(handle, chunkStart, chunkEnd);
    const index = chunk.lastIndexOf(NEWLINE);
    if (index >= 0) return chunkStart + index + 1;
    chunkEnd = chunkStart;
  }
  return 0;
}

/** The newline-terminated lines of [0, end), last first; `end` must follow a newline. */
async function* linesBackward(handle: FileHandle, end: number): AsyncGenerator<string> {
  if (end === 0) return;
  let rest = Buffer.alloc(0);
  // Bytes [0, pos) are still unread; the newline at end - 1 ends the last line.
  for (let pos = end - 1; ;) {
    if (pos === 0) {
      yield rest.toString('utf8');
      return;
    }
    const chunkStart = Math.max(0, pos - CHUNK_BYTES);
    let buffer = Buffer.concat([await readRange(handle, chunkStart, pos), rest]);
    for (let index = buffer.lastIndexOf(NEWLINE); index >= 0;) {
      yield buffer.subarray(index + 1).toString('utf8');
      buffer = buffer.subarray(0, index);
      index = buffer.lastIndexOf(NEWLINE);
    }
    rest = buffer;
    pos = chunkStart;
  }
}

/** The lines of a file, first first; only the last may lack its newline (`complete: false`). */
async function* linesForward(
  handle: FileHandle,
): AsyncGenerator<{ text: string; complete: boolean }> {
  let rest = Buffer.alloc(0);
  for (let pos = 0; ;) {
    const chunk = await readRange(handle, pos, pos + CHUNK_BYTES);
    if (chunk.length === 0) break;
    pos += chunk.length;
    let buffer = Buffer.concat([rest, chunk]);
    for (let index = buffer.indexOf(NEWLINE); index >= 0; index = buffer.indexOf(NEWLINE)) {
      yield { text: buffer.subarray(0, index).toString('utf8'), complete: true };
      buffer = buffer.subarray(index + 1);
    }
    rest = buffer;
  }
  if (rest.length > 0) yield { text: rest.toString('utf8'), complete: false };
}

export interface AuditPageQuery {
  limit: number;
  beforeSeq?: number | undefined;
  /** Only the entries this accepts; every entry when absent. */
  match?: ((entry: AuditEntry) => boolean) | undefined;
  /** The most entries to look at, matching or not. */
  scanLimit?: number | undefined;
}

/** An entry not written because earlier ones still cannot be. */
export class AuditUnwritableError extends Error {
  constructor(readonly waiting: number) {
    super(`the audit log cannot be written; ${String(waiting)} entries are waiting`);
    this.name = 'AuditUnwritableError';
  }
}

/**
 * The append-only, hash-chained audit log (`<data>/audit/audit.ndjson`): one JSON entry per
 * line, each carrying the sha256 of the one before, so that changing, removing or reordering
 * an entry breaks the chain. An entry is acknowledged only after its line is fsynced.
 */
export class AuditLog implements AuditSink {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /**
   * Entries that could not be written (ENOSPC, EIO), in order, with the time of their event:
   * kept, and written before any later entry once the file takes them again.
   */
  private unwritten: { input: AuditInput; at: string }[] = [];

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private readonly clock: Clock,
    private readonly logger: StoreLogger,
    private head: { seq: number; hash: string },
    /** Bytes of whole, fsynced lines: what readers may see. */
    private sizeBytes: number,
  ) {}

  /** Opens (or creates) the log in `dir` and continues its chain from the last good entry. */
  static async open(dir: string, clock: Clock, logger: StoreLogger): Promise<AuditLog> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, AUDIT_FILE);
    const existed = await stat(file).then(
      () => true,
      () => false,
    );
    const handle = await open(file, 'a+', 0o600);
    try {
      if (!existed) await syncDirectory(dir);
      const size = (await handle.stat()).size;
      const goodEnd = await afterLastNewline(handle, size);
      // A line without its newline is a write a crash cut short: it was never acknowledged.
      const torn = goodEnd < size ? await readRange(handle, goodEnd, size) : undefined;
      let tornFile: string | undefined;
      if (torn) {
        tornFile = `${AUDIT_FILE}.torn-${new Date(clock.now()).toISOString().replace(/[:.]/g, '-')}`;
        await writeFileDurably(path.join(dir, tornFile), torn);
        await handle.truncate(goodEnd);
        await handle.sync();
      }
      let head = { seq: 0, hash: GENESIS_HASH };
      let damaged = 0;
      for await (const line of linesBackward(handle, goodEnd)) {
        const entry = parseEntry(line);
        if (entry) {
          head = { seq: entry.seq, hash: entry.hash };
          break;
        }
        damaged += 1;
      }
      if (damaged > 0) {
        // Not a crash (those lose only an unterminated line): left in place for the auditor.
        logger.error(
          { file, damaged },
          'the audit log ends with damaged lines; "bangtin audit verify" names the first',
        );
      }
      const log = new AuditLog(file, handle, clock, logger, head, goodEnd);
      if (torn && tornFile !== undefined) {
        logger.warn(
          { file, movedTo: tornFile, bytes: torn.length },
          'moved a torn last line of the audit log aside',
        );
        // Recorded in the chain itself, so verification shows that something was set aside.
        await log.append({
          actor: SYSTEM_ACTOR,
          action: 'audit.recover',
          target: `audit/${tornFile}`,
          outcome: 'ok',
          details: { reason: 'torn last line', bytes: torn.length, sha256: sha256OfBytes(torn) },
          from: LOCAL_ORIGIN,
        });
      }
      return log;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The last entry's seq (0 when empty) and hash. */
  get last(): { seq: number; hash: string } {
    return { ...this.head };
  }

  /**
   * Appends one entry after every earlier one; resolves once its line is on disk. An entry that
   * cannot be written is kept (in memory) and written before the next one; meanwhile the log
   * says it is not writable, and the routes refuse changes.
   */
  append(input: AuditInput): Promise<AuditEntry> {
    if (this.closed) return Promise.reject(new Error('the audit log is closed'));
    if (input.details !== undefined && canonicalJson(input.details).length > MAX_DETAILS_CHARS) {
      return Promise.reject(new Error(`audit details of ${input.action} are too large`));
    }
    const at = new Date(this.clock.now()).toISOString();
    const run = this.queue.then(async () => {
      if (!(await this.writeUnwritten())) {
        this.unwritten.push({ input, at });
        throw new AuditUnwritableError(this.unwritten.length);
      }
      try {
        return await this.appendNow(input, at);
      } catch (error) {
        this.unwritten.push({ input, at });
        throw error;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** True when nothing is waiting to be written, after trying what was once more. */
  writable(): Promise<boolean> {
    if (this.unwritten.length === 0) return Promise.resolve(true);
    const run = this.queue.then(() => this.writeUnwritten());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Entries kept because they could not be written yet. */
  get unwrittenCount(): number {
    return this.unwritten.length;
  }

  /** Writes the kept entries, in order; false (and the rest kept) at the first that fails. */
  private async writeUnwritten(): Promise<boolean> {
    while (this.unwritten.length > 0) {
      const next = this.unwritten[0];
      if (!next) break;
      try {
        await this.appendNow(next.input, next.at);
      } catch {
        return false;
      }
      this.unwritten.shift();
      this.logger.warn(
        { action: next.input.action, at: next.at, left: this.unwritten.length },
        'wrote an audit entry kept since its file could not take it',
      );
    }
    return true;
  }

  private async appendNow(input: AuditInput, at: string): Promise<AuditEntry> {
    // Through JSON and back, so the hashed value is exactly what a reader parses from the line.
    const body = JSON.parse(
      JSON.stringify({
        seq: this.head.seq + 1,
        at,
        actor: input.actor,
        action: input.action,
        target: input.target,
        outcome: input.outcome,
        details: input.details,
        from: input.from,
        prevHash: this.head.hash,
      }),
    ) as Record<string, unknown>;
    const line = `${JSON.stringify({ ...body, hash: auditHash(body) })}\n`;
    const entry = parseEntry(line.slice(0, -1));
    if (!entry) throw new Error(`the audit entry of ${input.action} is malformed`);
    try {
      await this.handle.appendFile(line, 'utf8');
      await this.handle.sync();
    } catch (error) {
      this.logger.error({ err: error, action: input.action }, 'could not write the audit log');
      // Never leave half a line for the next entry to be glued to.
      await this.handle.truncate(this.sizeBytes).catch(() => undefined);
      throw error;
    }
    this.sizeBytes += Buffer.byteLength(line, 'utf8');
    this.head = { seq: entry.seq, hash: entry.hash };
    return entry;
  }

  /**
   * A page of entries newest first: at most `limit` that `match` accepts, before `beforeSeq`
   * when given. A search looks at no more than `scanLimit` entries, so that one for something
   * rare in a long log answers in bounded time; `nextBefore` says where the next page (or
   * the rest of the search) starts, null when the log's first entry was reached.
   */
  async page(options: AuditPageQuery): Promise<AuditPage> {
    const { limit, beforeSeq, match, scanLimit = Number.POSITIVE_INFINITY } = options;
    const entries: AuditEntry[] = [];
    if (limit <= 0) return { entries, nextBefore: null, scanned: 0 };
    let scanned = 0;
    for await (const line of linesBackward(this.handle, this.sizeBytes)) {
      const entry = parseEntry(line);
      if (!entry) continue;
      if (beforeSeq !== undefined && entry.seq >= beforeSeq) continue;
      scanned += 1;
      if (!match || match(entry)) entries.push(entry);
      if (entries.length >= limit || scanned >= scanLimit) {
        return { entries, nextBefore: entry.seq > 1 ? entry.seq : null, scanned };
      }
    }
    return { entries, nextBefore: null, scanned };
  }

  /** Waits for pending appends, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.handle.close();
  }
}

export type AuditVerification =
  | { ok: true; entries: number; last: { seq: number; hash: string } | null; notes: string[] }
  | { ok: false; entries: number; badSeq: number; reason: string };

/**
 * Checks an audit file from its first line: each entry parses, its seq follows the previous
 * one, its prevHash is the previous entry's hash, and its hash matches its content.
 */
export async function verifyAuditFile(file: string): Promise<AuditVerification> {
  const handle = await open(file, 'r');
  try {
    let previous: { seq: number; hash: string } | null = null;
    let entries = 0;
    const notes: string[] = [];
    const bad = (reason: string): AuditVerification => ({
      ok: false,
      entries,
      badSeq: (previous?.seq ?? 0) + 1,
      reason,
    });
    for await (const line of linesForward(handle)) {
      if (!line.complete) {
        return bad(
          'the last line is incomplete (a write cut short by a crash; the controller sets it aside when it starts)',
        );
      }
      let raw: unknown;
      try {
        raw = parseJsonLine(line.text);
      } catch {
        return bad('the line is not valid JSON');
      }
      const parsed = AuditEntrySchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return bad(
          `the line is not an audit entry (${issue ? `${issue.path.join('.') || '$'}: ${issue.message}` : 'invalid'})`,
        );
      }
      const entry = parsed.data;
      const expectedSeq: number = (previous?.seq ?? 0) + 1;
      if (entry.seq !== expectedSeq) {
        return bad(`found seq ${entry.seq} where ${expectedSeq} was expected`);
      }
      if (entry.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
        return bad(
          previous
            ? `prevHash does not match the hash of seq ${previous.seq}`
            : 'the first entry must have a prevHash of 64 zeros',
        );
      }
      if (auditHash(raw as Record<string, unknown>) !== entry.hash) {
        return bad("the hash does not match the entry's content (it was altered)");
      }
      if (entry.action === 'audit.recover') {
        notes.push(`seq ${entry.seq}: a torn line was set aside as ${entry.target ?? '?'}`);
      }
      previous = { seq: entry.seq, hash: entry.hash };
      entries += 1;
    }
    return { ok: true, entries, last: previous, notes };
  } finally {
    await handle.close();
  }
}
