import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { validatePlanText, type PlanDocument } from '../playlists/index.js';
import { randomSecret } from './auth/secrets.js';
import type { Controller } from './app.js';
import { LOCAL_ORIGIN, SYSTEM_ACTOR, type AuditInput } from './audit/log.js';
import { ApiError } from './http/errors.js';
import { sha256OfBytes } from './releases/canonical.js';
import { SYSTEM_ID, type Asset } from './state.js';

interface SeedLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Where the demo plans' banner files are, beside the plans. */
export const DEMO_BANNER_DIR = 'banners';

/** The asset names a plan's banners refer to by name (not by `sha256:`). */
function bannerNames(plan: PlanDocument): string[] {
  const names = plan.content.flatMap((c) =>
    c.kind === 'banner' && !c.asset.startsWith('sha256:') ? [c.asset] : [],
  );
  return [...new Set(names)].sort();
}

/** Reads every banner a demo plan names; the first file that cannot be read is the error. */
async function readBanners(
  demoDir: string,
  names: readonly string[],
): Promise<
  { ok: true; files: { name: string; bytes: Buffer }[] } | { ok: false; problem: string }
> {
  const files: { name: string; bytes: Buffer }[] = [];
  for (const name of names) {
    const file = path.join(demoDir, DEMO_BANNER_DIR, name);
    try {
      files.push({ name, bytes: await readFile(file) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      return { ok: false, problem: `banner "${name}" cannot be read from ${file} (${code})` };
    }
  }
  return { ok: true, files };
}

/**
 * First start: makes the `admin` user (with the given password, or a generated one that is
 * returned so it can be printed once) and, on an empty store, uploads the demo plans' banners
 * (`<demoDir>/banners/<name>`), then imports and publishes the demo plans.
 * The demo plans' items are approved by `system`: they ship with the product, nobody wrote them here.
 * A demo plan whose banner file is missing, unreadable or refused is logged as an error and
 * skipped, like an invalid one (the start goes on: the admin password must still be printed).
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
      // Every file is read before anything is stored, so a broken plan leaves no banner behind.
      const banners = await readBanners(options.demoDir, bannerNames(checked.plan));
      if (!banners.ok) {
        options.logger.error(
          { file, problem: banners.problem },
          `demo plan ${file} skipped: ${banners.problem}`,
        );
        continue;
      }
      const uploaded = await uploadBanners(controller, banners.files, audit);
      if (!uploaded.ok) {
        options.logger.error(
          { file, problem: uploaded.problem },
          `demo plan ${file} skipped: ${uploaded.problem}`,
        );
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

/**
 * Uploads the banners as the system; one already stored under the same name with the same
 * bytes (shared by both demo plans, or stored by an earlier attempt) is not stored again.
 */
async function uploadBanners(
  controller: Controller,
  files: readonly { name: string; bytes: Buffer }[],
  audit: (entry: Pick<AuditInput, 'action' | 'target' | 'details'>) => Promise<unknown>,
): Promise<{ ok: true } | { ok: false; problem: string }> {
  for (const { name, bytes } of files) {
    const sha256 = sha256OfBytes(bytes);
    if (controller.assets.list().some((a) => a.name === name && a.sha256 === sha256)) continue;
    let asset: Asset;
    try {
      asset = await controller.assets.upload(bytes, name, SYSTEM_ID);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const why = [error.message, ...(error.details ?? []).map((d) => d.message)].join(': ');
      return { ok: false, problem: `banner "${name}" was refused (${why})` };
    }
    await audit({
      action: 'asset.upload',
      target: `assets/${name}`,
      details: { sha256: asset.sha256, type: asset.type, size: asset.size, demo: true },
    });
  }
  return { ok: true };
}
