import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot } from '../helpers/paths.js';
import {
  collectConsoleErrors,
  keepScreenshot,
  logIn,
  untranslatedStrings,
} from './dashboard-support.js';
import { ADMIN_PASSWORD, E2eController } from './support.js';

const fixturePlan = JSON.parse(
  readFileSync(path.join(repoRoot, 'test/fixtures/e2e-plan.json'), 'utf8'),
) as {
  plan: { id: string; timeZone: string };
  phases: { to: string }[];
  boards: Record<string, unknown>[];
  playlists: { items: unknown[] }[];
  schedules: Record<string, unknown>[];
};
const demoPlans = ['dak-lak-148.json', 'kon-tum-kkt.json'].map(
  (f) => JSON.parse(readFileSync(path.join(repoRoot, 'assets/demo', f), 'utf8')) as unknown,
);

test.describe('operator dashboard', () => {
  let controller: E2eController | undefined;

  test.afterEach(async () => {
    await controller?.stop();
    controller = undefined;
  });

  test('an import of a broken plan file lists every problem with its path, and nothing changes', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);
    const before = await controller.admin.request('GET', `/api/plans/${fixturePlan.plan.id}/export`);
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);

    const broken = structuredClone(fixturePlan);
    broken.plan.timeZone = 'Asia/Hanoi_Nowhere';
    broken.phases[1]!.to = '2030-01-05';
    broken.playlists[0]!.items.push('khong-co');
    broken.boards.push({ ...broken.boards[0] });
    broken.schedules[0]!.surprise = 1;

    await page.getByRole('navigation').getByRole('link', { name: 'Kế hoạch' }).click();
    const form = page.getByTestId('import-form');
    await form.locator('input[type=file]').setInputFiles({
      name: 'ke-hoach-loi.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(broken)),
    });
    await form.getByRole('button', { name: 'Nhập' }).click();
    const problems = page.getByTestId('problems');
    await expect(page.getByRole('alert').filter({ hasText: 'không có gì thay đổi' })).toBeVisible();
    for (const where of [
      '$.plan.timeZone',
      '$.phases[1].to',
      '$.playlists[0].items[2]',
      '$.boards[2].id',
      '$.schedules[0].surprise',
    ]) {
      await expect(problems.locator('li').filter({ hasText: where })).toHaveCount(1);
    }
    await expect(problems.locator('li')).toHaveCount(5);
    await keepScreenshot(page, 'dashboard-import-errors');

    // A file that is not even JSON is refused before it leaves the browser.
    await form.locator('input[type=file]').setInputFiles({
      name: 'khong-phai-json.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{ "format": "bangtin-plan/1", '),
    });
    await form.getByRole('button', { name: 'Nhập' }).click();
    await expect(problems.locator('li')).toHaveCount(1);
    await expect(problems).toContainText('khong-phai-json.json');

    const after = await controller.admin.request('GET', `/api/plans/${fixturePlan.plan.id}/export`);
    expect(after.body).toEqual(before.body);
    // The refused import is the one failed request (the browser logs it as a 400).
    expect(errors.filter((e) => !/\/api\/plans\/import|status of 400/.test(e))).toEqual([]);
  });

  test('every page loads without console errors, in Vietnamese with nothing untranslated; screenshots at 1280×800', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    controller = await E2eController.start({ clock: '2020-10-14T09:00:00+07:00' });
    for (const plan of demoPlans) await controller.importAndPublish(plan);
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${controller.url}/`);
    await expect(page.getByRole('heading', { name: 'Đăng nhập' })).toBeVisible();
    expect(await untranslatedStrings(page)).toEqual([]);
    await keepScreenshot(page, 'dashboard-login');
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);

    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    const pages = await nav.locator('a[data-nav]').evaluateAll((links) =>
      links.map((a) => a.getAttribute('data-nav') ?? ''),
    );
    expect(pages).toEqual(expect.arrayContaining(['plans']));
    for (const name of pages) {
      await nav.locator(`a[data-nav="${name}"]`).click();
      await expect(nav.locator(`a[data-nav="${name}"]`)).toHaveAttribute('aria-current', 'page');
      // Settled: nothing still loading.
      await expect(page.locator('.loading')).toHaveCount(0);
      await page.waitForLoadState('networkidle');
      expect(await untranslatedStrings(page), `untranslated on ${name}`).toEqual([]);
      await keepScreenshot(page, `dashboard-${name}`);
    }
    expect(errors).toEqual([]);
  });
});
