import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../controller/config.js';
import { spawnSourceController, type ControllerProcess } from '../helpers/process.js';

describe('BANGTIN_WEB_DIR: the browser files from another build directory', () => {
  const made: string[] = [];
  let proc: ControllerProcess | undefined;

  afterAll(async () => {
    proc?.child.kill('SIGTERM');
    await proc?.exited;
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });

  it('is read from the environment; absent, the package default applies; empty is refused', () => {
    const set = loadConfig({ BANGTIN_WEB_DIR: '/tmp/some-build' });
    expect(set.ok && set.config.webDir).toBe('/tmp/some-build');
    const unset = loadConfig({});
    expect(unset.ok && unset.config.webDir).toBeUndefined();
    const empty = loadConfig({ BANGTIN_WEB_DIR: '' });
    expect(empty.ok).toBe(false);
    expect(!empty.ok && empty.problems.join()).toMatch(/BANGTIN_WEB_DIR/);
  });

  it('serves the dashboard and the player pages of that directory', async () => {
    const webDir = await mkdtemp(path.join(tmpdir(), 'bangtin-web-'));
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bangtin-data-'));
    made.push(webDir, dataDir);
    await mkdir(path.join(webDir, 'controller', 'dashboard'), { recursive: true });
    await mkdir(path.join(webDir, 'player'), { recursive: true });
    await writeFile(
      path.join(webDir, 'controller', 'dashboard', 'index.html'),
      '<!doctype html><title>dashboard from the other build</title>',
    );
    await writeFile(
      path.join(webDir, 'player', 'index.html'),
      '<!doctype html><title>player from the other build</title>',
    );
    proc = await spawnSourceController(dataDir, {
      BANGTIN_SEED_DEMO: '0',
      BANGTIN_ADMIN_PASSWORD: 'web-dir-admin-password',
      BANGTIN_WEB_DIR: webDir,
    });
    expect(await (await fetch(`${proc.url}/`)).text()).toContain('dashboard from the other build');
    expect(await (await fetch(`${proc.url}/player`)).text()).toContain(
      'player from the other build',
    );
  });
});
