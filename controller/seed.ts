import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { validatePlanText } from '../playlists/index.js';
import { randomSecret } from './auth/secrets.js';
import type { Controller } from './app.js';
import { LOCAL_ORIGIN, SYSTEM_ACTOR, type AuditInput } from './audit/log.js';
import { SYSTEM_ID } from './state.js';

interface SeedLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/**
 * First start: makes the `admin` user (with the given password, or a generated one that is
 * returned so it can be printed once) and, on an empty store, imports and publishes the demo plans.
 * The demo plans' items are approved by `system`: they ship with the product, nobody wrote them here.
 */
export async function seedFirstStart(
  controller: Controller,
  options: { adminPassword: string | undefined; demoDir: string | undefined; logger: SeedLogger },
): Promise<{ generatedAdminPassword?: string }> {
  const result: { generatedAdminPassword?: string } = {};
  // What the controller changes by itself is audited too, as the system.
  const audit = (entry: Pick<AuditInput, 'action' | 'target' | 'details'>) =>
    controller.audit.append({ ...entry, actor: SYSTEM_ACTOR, outcome: 'ok', from: LOCAL_ORIGIN });
  const state = controller.store.read();
  let admin = state.users.find((u) => u.username === 'admin');
  if (state.users.length === 0) {
    const password = options.adminPassword ?? randomSecret().slice(0, 20);
    admin = await controller.auth.createUser({ username: 'admin', password, role: 'admin' });
    await audit({
      action: 'user.create',
      target: `users/${admin.id}`,
      details: { username: admin.username, role: admin.role, firstStart: true },
    });
    if (options.adminPassword === undefined) result.generatedAdminPassword = password;
  }
  if (options.demoDir === undefined || controller.store.read().demoSeeded) return result;
  if (controller.store.read().plans.length === 0) {
    const files = (await readdir(options.demoDir)).filter((f) => f.endsWith('.json')).sort();
    for (const file of files) {
      const checked = validatePlanText(await readFile(path.join(options.demoDir, file), 'utf8'));
      if (!checked.ok) {
        options.logger.warn({ file, problems: checked.problems }, 'demo plan is invalid; skipped');
        continue;
      }
      const imported = await controller.plans.importPlan(checked.plan, {
        by: SYSTEM_ID,
        land: 'approved',
      });
      await audit({
        action: 'plan.import',
        target: `plans/${imported.plan.plan.id}`,
        details: {
          replaced: imported.replaced,
          counts: imported.plan.counts,
          demo: file,
          approvedBy: SYSTEM_ID,
        },
      });
      options.logger.info({ file, plan: checked.plan.plan.id }, 'demo plan imported');
    }
    if (admin && controller.store.read().plans.length > 0) {
      const release = await controller.releases.publish(admin.id, 'Demo plans');
      await audit({
        action: 'release.publish',
        target: `releases/${release.version}`,
        details: { hash: release.hash, planIds: release.planIds, note: 'Demo plans' },
      });
    }
  }
  await controller.store.update((s) => {
    s.demoSeeded = true;
  });
  return result;
}
