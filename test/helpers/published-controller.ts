import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll } from 'vitest';
import { approveAndPublish } from './approval.js';
import type { ControllerOptions } from '../../controller/app.js';
import { ADMIN_PASSWORD, Http, startTestController, type TestController } from './controller.js';

/**
 * A test controller with the e2e plan imported, approved and published, and an admin logged
 * in: what a test of connected boards starts from.
 */
export async function startPublishedController(
  options: Partial<ControllerOptions> = {},
): Promise<{ t: TestController; admin: Http }> {
  const t = await startTestController(options);
  const admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
  const plan = JSON.parse(await readFile('test/fixtures/e2e-plan.json', 'utf8')) as unknown;
  const imported = await admin.request('POST', '/api/plans/import', plan);
  if (imported.status !== 201) throw new Error(`plan import: ${imported.status}`);
  const published = await approveAndPublish(admin);
  if (published.status !== 201) throw new Error(`publish: ${published.status}`);
  return { t, admin };
}

/**
 * startPublishedController for the tests of a describe block: started before the first,
 * stopped after the last. The fields of what it returns are set once the block starts.
 */
export function usePublishedController(options: Partial<ControllerOptions> = {}): {
  t: TestController;
  admin: Http;
} {
  const published = {} as { t: TestController; admin: Http };
  beforeAll(async () => {
    Object.assign(published, await startPublishedController(options));
  });
  afterAll(async () => {
    await published.t.stop();
  });
  return published;
}
