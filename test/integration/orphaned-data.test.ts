// A data directory that lost its state file (and every backup) but still holds releases, the
// audit log and the signing key must not start as a new installation: that made a new admin,
// seeded the demo, overwrote release 1 and forgot every paired board.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startController } from '../../controller/app.js';
import { systemClock } from '../../controller/clock.js';
import { OrphanedDataError } from '../../controller/store/data-dir.js';
import { startTestController } from '../helpers/controller.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const start = (dataDir: string) =>
  startController({
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
    clock: systemClock,
    dataDir,
  });

async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/** A data directory of a controller that published the demo plans, closed (not removed). */
async function usedDataDir(): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bangtin-orphan-'));
  dirs.push(dataDir);
  const t = await startTestController({ dataDir, demo: true });
  await t.controller.close();
  return dataDir;
}

async function removeState(dataDir: string, keep: (name: string) => boolean = () => false) {
  for (const name of await readdir(dataDir)) {
    if (name.startsWith('state.json') && !keep(name)) await rm(path.join(dataDir, name));
  }
}

describe('a data directory without its state', () => {
  it('refuses to start, names what it found, and leaves the releases as they were', async () => {
    const dataDir = await usedDataDir();
    const release = path.join(dataDir, 'releases', '000001.json');
    const before = await sha256(release);
    await removeState(dataDir);
    const error: unknown = await start(dataDir).then(
      async (c) => {
        await c.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OrphanedDataError);
    const message = (error as Error).message;
    expect(message).toContain('release file(s)');
    expect(message).toContain('an audit log');
    expect(message).toContain('a release signing key');
    expect(message).toContain('no state.json nor any backup');
    expect(await sha256(release)).toBe(before);
    expect((await readdir(dataDir)).filter((n) => n.startsWith('state.json'))).toEqual([]);
  });

  it('still recovers from a backup when the main file alone is gone, and says so in the audit log', async () => {
    const dataDir = await usedDataDir();
    const names = await readdir(dataDir);
    expect(names.filter((n) => n.startsWith('state.json.bak.')).length).toBeGreaterThan(0);
    await removeState(dataDir, (n) => n.startsWith('state.json.bak.'));
    const controller = await start(dataDir);
    try {
      expect(controller.releases.current()?.meta.version).toBe(1);
    } finally {
      await controller.close();
    }
    const lines = (await readFile(path.join(dataDir, 'audit', 'audit.ndjson'), 'utf8'))
      .trim()
      .split('\n');
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({
      actor: { kind: 'system' },
      action: 'state.recover',
      target: 'state.json',
      details: { from: 'state.json.bak.1' },
    });
    // A start from the main file records nothing.
    const again = await start(dataDir);
    await again.close();
    const after = (await readFile(path.join(dataDir, 'audit', 'audit.ndjson'), 'utf8'))
      .trim()
      .split('\n');
    expect(after).toHaveLength(lines.length);
  });

  it('starts an empty directory, or one that does not exist yet, as a new installation', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'bangtin-orphan-'));
    dirs.push(parent);
    for (const dataDir of [parent, path.join(parent, 'moi')]) {
      const controller = await start(dataDir);
      expect(controller.releases.current()).toBeUndefined();
      await controller.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
