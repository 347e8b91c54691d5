// When the audit log cannot be written (a full disk), the controller must not go on making
// changes it cannot audit: the change whose entry failed says so (it was made; its entry is kept
// and written later), every later change is refused until the log takes entries again, and then
// the kept entries are written first, in order, and the chain verifies.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../controller/audit/log.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { withoutBanner } from '../helpers/plan-builder.js';

interface ErrorBody {
  error: { code: string; message: string };
}

describe('a full disk under the audit log', () => {
  let t: TestController;
  let admin: Http;
  let full = false;

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    const plan = withoutBanner();
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
    // The log's file refuses writes while `full`, as with ENOSPC.
    const handle = (
      t.controller.audit as unknown as {
        handle: { appendFile: (...a: unknown[]) => Promise<void> };
      }
    ).handle;
    const write = handle.appendFile.bind(handle);
    handle.appendFile = (...args: unknown[]) =>
      full
        ? Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }))
        : write(...args);
  });
  afterAll(async () => {
    await t.stop();
  });

  const text = async (id: string) =>
    (await admin.request<{ text: string }>('GET', `/api/plans/vi-du/content/${id}`)).body.text;

  it('makes no change it cannot audit, and writes what it kept once it can', async () => {
    full = true;
    const first = await admin.request<ErrorBody>('PATCH', '/api/plans/vi-du/content/c1', {
      text: 'LẦN MỘT',
    });
    expect(first.status).toBe(503);
    expect(first.body.error.code).toBe('audit_unavailable');
    expect(first.body.error.message).toMatch(/the change was made/);
    expect(await text('c1')).toBe('LẦN MỘT');

    const second = await admin.request<ErrorBody>('PATCH', '/api/plans/vi-du/content/c2', {
      text: 'LẦN HAI',
    });
    expect(second.status).toBe(503);
    expect(second.body.error.message).toMatch(/no change is accepted/);
    expect(await text('c2')).toBe('ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM');
    // Reads go on.
    expect((await admin.request('GET', '/api/plans/vi-du')).status).toBe(200);

    full = false;
    const third = await admin.request('PATCH', '/api/plans/vi-du/content/c2', { text: 'LẦN BA' });
    expect(third.status).toBe(200);
    const file = path.join(t.dataDir, 'audit', 'audit.ndjson');
    const entries = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; target: string });
    expect(entries.slice(-2).map((e) => `${e.action} ${e.target}`)).toEqual([
      'content.update plans/vi-du/content/c1',
      'content.update plans/vi-du/content/c2',
    ]);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true });
  });
});
