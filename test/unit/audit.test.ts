import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_FILE,
  AuditLog,
  GENESIS_HASH,
  verifyAuditFile,
  type AuditInput,
} from '../../controller/audit/log.js';
import type { AuditEntry } from '../../controller/audit/entry.js';
import type { Clock } from '../../controller/clock.js';
import { canonicalJson, sha256OfText } from '../../controller/releases/canonical.js';

/** A clock that moves one second per reading, from a fixed instant. */
function steppingClock(startIso = '2026-03-28T01:00:00Z'): Clock {
  let ms = Date.parse(startIso);
  return { now: () => (ms += 1000) };
}

function recordingLogger() {
  const lines: { level: string; obj: object; msg?: string | undefined }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj, msg });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

function input(action: string, n = 0): AuditInput {
  return {
    actor: { kind: 'user', userId: 'u-1', username: 'bientap', role: 'editor' },
    action,
    target: `plans/kh-148/content/s${n}`,
    outcome: 'ok',
    details: { fields: ['text'], n },
    from: { ip: '203.0.113.7', userAgent: 'test' },
  };
}

describe('the audit log', () => {
  let dir: string;
  let file: string;
  let logs: AuditLog[];

  async function openLog(logger = recordingLogger()): Promise<AuditLog> {
    const log = await AuditLog.open(dir, steppingClock(), logger);
    logs.push(log);
    return log;
  }

  async function lines(): Promise<string[]> {
    return (await readFile(file, 'utf8')).split('\n').filter((l) => l.length > 0);
  }

  async function entries(): Promise<AuditEntry[]> {
    return (await lines()).map((l) => JSON.parse(l) as AuditEntry);
  }

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bangtin-audit-'));
    file = path.join(dir, AUDIT_FILE);
    logs = [];
  });
  afterEach(async () => {
    for (const log of logs) await log.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps an entry the file cannot take, says it is not writable, and writes it first once it can', async () => {
    const logger = recordingLogger();
    const log = await openLog(logger);
    await log.append(input('content.create', 1));
    // The disk fills up: the file handle refuses writes (as it does with ENOSPC).
    const handle = (
      log as unknown as { handle: { appendFile: (...a: unknown[]) => Promise<void> } }
    ).handle;
    const write = handle.appendFile.bind(handle);
    let full = true;
    handle.appendFile = (...args: unknown[]) =>
      full
        ? Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }))
        : write(...args);
    await expect(log.append(input('content.update', 2))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await log.writable()).toBe(false);
    await expect(log.append(input('content.update', 3))).rejects.toThrow(/2 entries are waiting/);
    expect(log.unwrittenCount).toBe(2);
    expect(await lines()).toHaveLength(1);
    // Room again: the kept entries go first, in order, with the times of their events.
    full = false;
    expect(await log.writable()).toBe(true);
    await log.append(input('content.delete', 4));
    const written = await entries();
    expect(written.map((e) => [e.seq, e.action, e.details])).toEqual([
      [1, 'content.create', { fields: ['text'], n: 1 }],
      [2, 'content.update', { fields: ['text'], n: 2 }],
      [3, 'content.update', { fields: ['text'], n: 3 }],
      [4, 'content.delete', { fields: ['text'], n: 4 }],
    ]);
    // Each was dated when it happened (the clock steps a second per reading), not when written.
    const at = written.map((e) => Date.parse(e.at));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, entries: 4 });
    expect(logger.lines.filter((l) => l.msg?.startsWith('wrote an audit entry kept'))).toHaveLength(
      2,
    );
  });

  it('chains entries: seq from 1, prevHash of the one before, hash of the canonical JSON', async () => {
    const log = await openLog();
    const first = await log.append(input('content.create', 1));
    await log.append(input('content.update', 2));
    await log.append({
      actor: { kind: 'anonymous', username: 'admin' },
      action: 'auth.login_failed',
      outcome: 'refused',
      from: { ip: '198.51.100.1' },
    });
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, action: 'content.create' });
    expect(first.at).toBe('2026-03-28T01:00:01.000Z');
    const written = await entries();
    expect(written.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(written[0]).toEqual(first);
    for (const [i, entry] of written.entries()) {
      const { hash, ...rest } = entry;
      expect(hash).toBe(sha256OfText(canonicalJson(rest)));
      expect(entry.prevHash).toBe(i === 0 ? GENESIS_HASH : written[i - 1]?.hash);
    }
    // Absent fields are left out, not written as null.
    expect(written[2]).not.toHaveProperty('target');
    expect(written[2]).not.toHaveProperty('details');
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, entries: 3 });
    expect(log.last).toEqual({ seq: 3, hash: written[2]?.hash });
  });

  it('continues the chain after a reopen', async () => {
    const first = await openLog();
    await first.append(input('plan.import'));
    const last = await first.append(input('release.publish'));
    await first.close();
    const again = await openLog();
    const next = await again.append(input('auth.logout'));
    expect(next.seq).toBe(3);
    expect(next.prevHash).toBe(last.hash);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, entries: 3 });
  });

  it('verifies an empty log', async () => {
    await openLog();
    expect(await verifyAuditFile(file)).toEqual({ ok: true, entries: 0, last: null, notes: [] });
  });

  it('fails verification at the seq of an altered entry', async () => {
    const log = await openLog();
    for (let n = 1; n <= 5; n += 1) await log.append(input('content.update', n));
    const original = await lines();
    const altered = [...original];
    altered[2] = (altered[2] ?? '').replace('"bientap"', '"someone"');
    expect(altered[2]).not.toBe(original[2]);
    await writeFile(file, `${altered.join('\n')}\n`);
    const result = await verifyAuditFile(file);
    expect(result).toMatchObject({ ok: false, badSeq: 3, entries: 2 });
    if (!result.ok) expect(result.reason).toMatch(/hash does not match/);
  });

  it('fails verification where an entry was removed, reordered or re-hashed', async () => {
    const log = await openLog();
    for (let n = 1; n <= 4; n += 1) await log.append(input('content.update', n));
    const original = await lines();
    const write = (ls: (string | undefined)[]) => writeFile(file, `${ls.join('\n')}\n`);

    await write([original[0], original[2], original[3]]);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, badSeq: 2 });

    await write([original[1], original[0], original[2], original[3]]);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, badSeq: 1 });

    // An edit whose hash was recomputed still breaks the link from the next entry.
    const second = JSON.parse(original[1] ?? '') as Record<string, unknown>;
    second.outcome = 'refused';
    delete second.hash;
    const rehashed = { ...second, hash: sha256OfText(canonicalJson(second)) };
    await write([original[0], JSON.stringify(rehashed), original[2], original[3]]);
    const result = await verifyAuditFile(file);
    expect(result).toMatchObject({ ok: false, badSeq: 3 });
    if (!result.ok) expect(result.reason).toMatch(/prevHash/);

    // A key canonical JSON cannot hold is refused rather than left outside the hash.
    const smuggled = (original[1] ?? '').replace('"details":{', '"details":{"__proto__":{"x":1},');
    await write([original[0], smuggled, original[2], original[3]]);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, badSeq: 2 });

    await write([original[0], 'not json', original[2], original[3]]);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: false, badSeq: 2 });
  });

  it('moves a torn last line aside on open, records that in the chain, and continues', async () => {
    const log = await openLog();
    await log.append(input('plan.import'));
    await log.append(input('release.publish'));
    await log.close();
    // A crash in the middle of writing the third line.
    const torn = '{"seq":3,"at":"2026-03-28T01:00:09.000Z","actor":{"kind":"sys';
    await appendFile(file, torn);
    const before = await verifyAuditFile(file);
    expect(before).toMatchObject({ ok: false, badSeq: 3, entries: 2 });
    if (!before.ok) expect(before.reason).toMatch(/incomplete/);

    const logger = recordingLogger();
    const reopened = await openLog(logger);
    expect(logger.lines.some((l) => l.level === 'warn' && /torn/.test(l.msg ?? ''))).toBe(true);
    const aside = (await readdir(dir)).filter((f) => f.startsWith(`${AUDIT_FILE}.torn-`));
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(dir, aside[0] ?? ''), 'utf8')).toBe(torn);

    const written = await entries();
    expect(written.map((e) => e.action)).toEqual([
      'plan.import',
      'release.publish',
      'audit.recover',
    ]);
    expect(written[2]).toMatchObject({
      seq: 3,
      actor: { kind: 'system' },
      target: `audit/${aside[0] ?? ''}`,
      details: { bytes: Buffer.byteLength(torn) },
    });
    const next = await reopened.append(input('auth.login'));
    expect(next.seq).toBe(4);
    const after = await verifyAuditFile(file);
    expect(after).toMatchObject({ ok: true, entries: 4 });
    if (after.ok) expect(after.notes).toEqual([expect.stringContaining('seq 3: a torn line')]);
  });

  it('keeps order and links under concurrent appends', async () => {
    const log = await openLog();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, n) => log.append(input('content.update', n))),
    );
    expect(results.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, n) => n + 1));
    // Appended in call order: the n-th call got seq n + 1.
    expect(results.map((e) => e.details?.n)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    expect((await entries()).map((e) => e.seq)).toEqual(results.map((e) => e.seq));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, entries: 60 });
  });

  it('pages newest first, with a limit, before a seq', async () => {
    const log = await openLog();
    for (let n = 1; n <= 7; n += 1) await log.append(input('content.update', n));
    expect((await log.page({ limit: 3 })).entries.map((e) => e.seq)).toEqual([7, 6, 5]);
    expect((await log.page({ limit: 3, beforeSeq: 5 })).entries.map((e) => e.seq)).toEqual([
      4, 3, 2,
    ]);
    expect((await log.page({ limit: 10, beforeSeq: 3 })).entries.map((e) => e.seq)).toEqual([2, 1]);
    expect((await log.page({ limit: 10, beforeSeq: 1 })).entries).toEqual([]);
    expect((await log.page({ limit: 100 })).entries[0]).toEqual((await entries())[6]);
  });

  it('pages through only the entries a filter accepts, looking at no more than it may', async () => {
    const log = await openLog();
    // seq 1..12: every third a refused login, the rest content updates.
    for (let n = 1; n <= 12; n += 1) {
      await log.append(
        n % 3 === 0
          ? { ...input('auth.login', n), outcome: 'refused' }
          : input('content.update', n),
      );
    }
    const refused = (e: AuditEntry) => e.outcome === 'refused';
    const first = await log.page({ limit: 2, match: refused });
    expect(first.entries.map((e) => e.seq)).toEqual([12, 9]);
    expect(first.nextBefore).toBe(9);
    const rest = await log.page({ limit: 2, beforeSeq: 9, match: refused });
    expect(rest.entries.map((e) => e.seq)).toEqual([6, 3]);
    expect(rest.nextBefore).toBe(3);
    // The log's first entry reached: nothing more to page to.
    const last = await log.page({ limit: 2, beforeSeq: 3, match: refused });
    expect(last).toEqual({ entries: [], nextBefore: null, scanned: 2 });

    // A search stops after `scanLimit` entries and says where to go on from.
    const bounded = await log.page({ limit: 10, match: refused, scanLimit: 5 });
    expect(bounded.entries.map((e) => e.seq)).toEqual([12, 9]);
    expect(bounded).toMatchObject({ nextBefore: 8, scanned: 5 });
    const onwards = await log.page({ limit: 10, beforeSeq: 8, match: refused, scanLimit: 5 });
    expect(onwards).toMatchObject({ nextBefore: 3, scanned: 5 });
    expect(onwards.entries.map((e) => e.seq)).toEqual([6, 3]);
    const end = await log.page({ limit: 10, beforeSeq: 3, match: refused, scanLimit: 5 });
    expect(end).toMatchObject({ entries: [], nextBefore: null, scanned: 2 });

    // A page that fills on the first entry has nowhere further to go.
    expect(await log.page({ limit: 1, beforeSeq: 2 })).toMatchObject({ nextBefore: null });
  });

  it('reads and verifies a log larger than its read chunks, with multi-byte text', async () => {
    const log = await openLog();
    const text = 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM '.repeat(30);
    await Promise.all(
      Array.from({ length: 250 }, (_, n) =>
        log.append({ ...input('content.update', n), details: { text, n } }),
      ),
    );
    expect((await readFile(file)).length).toBeGreaterThan(4 * 64 * 1024);
    const all = (await log.page({ limit: 1000 })).entries;
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 250 }, (_, n) => 250 - n));
    expect(all.every((e) => e.details?.text === text)).toBe(true);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, entries: 250 });
    await log.close();
    expect((await (await openLog()).append(input('auth.login'))).seq).toBe(251);
  });

  it('refuses oversized details and appends after close', async () => {
    const log = await openLog();
    await expect(
      log.append({ ...input('plan.import'), details: { blob: 'x'.repeat(10_000) } }),
    ).rejects.toThrow(/too large/);
    // A refused append leaves no trace and does not break the chain.
    await log.append(input('plan.import'));
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, entries: 1 });
    await log.close();
    await expect(log.append(input('plan.import'))).rejects.toThrow(/closed/);
  });
});
