import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Http } from '../helpers/controller.js';
import { spawnSourceController } from '../helpers/process.js';

const PASSWORD = 'crash-test-password';
const ENV = { BANGTIN_ADMIN_PASSWORD: PASSWORD, BANGTIN_SEED_DEMO: '0' };

describe('SIGKILL during a burst of edits', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'bangtin-crash-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged edit, three times over', async () => {
    const acknowledged = new Set<string>();
    for (let round = 0; round < 3; round += 1) {
      const proc = await spawnSourceController(dataDir, ENV);
      const http = await Http.login(proc.url, 'admin', PASSWORD);
      if (round === 0) {
        const created = await http.request('POST', '/api/plans', {
          id: 'crash',
          title: 'Crash',
          timeZone: 'Asia/Ho_Chi_Minh',
        });
        expect(created.status).toBe(201);
      }
      // Fire edits in waves until enough are acknowledged, then kill the process mid-wave.
      let killed = false;
      let n = 0;
      const inFlight = new Set<Promise<void>>();
      await new Promise<void>((resolve) => {
        const launch = () => {
          if (killed) return;
          const id = `r${round}-${n++}`;
          const p = http
            .request('POST', '/api/plans/crash/content', {
              id,
              kind: 'slogan',
              text: `KHẨU HIỆU ${id}`,
            })
            .then(
              (res) => {
                if (res.status === 201) acknowledged.add(id);
                if (!killed && acknowledged.size >= (round + 1) * 60) {
                  killed = true;
                  proc.child.kill('SIGKILL');
                  resolve();
                }
              },
              () => undefined,
            )
            .finally(() => {
              inFlight.delete(p);
              launch();
            });
          inFlight.add(p);
        };
        for (let i = 0; i < 8; i += 1) launch();
      });
      await proc.exited;
      await Promise.allSettled([...inFlight]);
    }

    const proc = await spawnSourceController(dataDir, ENV);
    try {
      const http = await Http.login(proc.url, 'admin', PASSWORD);
      const content = await http.request<{ id: string }[]>('GET', '/api/plans/crash/content');
      expect(content.status).toBe(200);
      const stored = new Set(content.body.map((c) => c.id));
      const lost = [...acknowledged].filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      expect(acknowledged.size).toBeGreaterThanOrEqual(180);
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  }, 120_000);
});
