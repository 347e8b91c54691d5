// Two editors save the same item at once: with the revision each opened it at, the second save
// is refused (409) instead of silently replacing the first one's change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { withoutBanner } from '../helpers/plan-builder.js';

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; code?: string }[] };
}
interface PlanView {
  content: { id: string; text?: string; durationSec?: number }[];
  approval: { content: Record<string, { revision: number }> };
}

describe('saving an item someone else saved meanwhile', () => {
  let t: TestController;
  let admin: Http;
  const view = async () => (await admin.request<PlanView>('GET', '/api/plans/vi-du')).body;

  beforeAll(async () => {
    t = await startTestController();
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    const plan = withoutBanner();
    expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses the second of two saves made from the same revision', async () => {
    const seen = (await view()).approval.content.c1?.revision ?? 0;
    const url = `/api/plans/vi-du/content/c1?ifRevision=${String(seen)}`;
    const [a, b] = await Promise.all([
      admin.request<ErrorBody>('PUT', url, { kind: 'slogan', text: 'BẢN CỦA A', durationSec: 10 }),
      admin.request<ErrorBody>('PATCH', url, { durationSec: 7 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const refused = a.status === 409 ? a : b;
    expect(refused.body.error.code).toBe('conflict');
    expect(refused.body.error.message).toMatch(/changed meanwhile/);
    const c1 = (await view()).content.find((c) => c.id === 'c1');
    // Exactly one of the two changes, whole.
    expect(
      a.status === 200 ? c1?.text === 'BẢN CỦA A' && c1.durationSec === 10 : c1?.durationSec === 7,
    ).toBe(true);
    expect((await view()).approval.content.c1?.revision).toBe(seen + 1);
  });

  it('deletes only at the revision seen; without a revision, saves as before', async () => {
    const seen = (await view()).approval.content.c7?.revision ?? 0;
    const stale = await admin.request<ErrorBody>(
      'DELETE',
      `/api/plans/vi-du/content/c7?ifRevision=${String(seen + 1)}`,
    );
    expect(stale.status).toBe(409);
    expect((await view()).content.map((c) => c.id)).toContain('c7');
    expect(
      (await admin.request('PATCH', '/api/plans/vi-du/content/c7', { durationSec: 8 })).status,
    ).toBe(200);
  });

  it('refuses a revision for what has none, and one that is not a number', async () => {
    const phase = await admin.request<ErrorBody>(
      'PATCH',
      '/api/plans/vi-du/phases/dot-1?ifRevision=1',
      { name: 'Đợt một' },
    );
    expect(phase.status).toBe(400);
    expect(phase.body.error.details?.[0]?.path).toBe('$.query.ifRevision');
    const bad = await admin.request('PATCH', '/api/plans/vi-du/content/c7?ifRevision=abc', {
      durationSec: 9,
    });
    expect(bad.status).toBe(400);
  });
});
