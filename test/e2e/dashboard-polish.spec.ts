// What an operator audit in Vietnamese found: refusals in English, an Approve button that could
// only be refused, a lowercase confirmation word, raw UTC instants and action codes in the audit
// log, report filters that showed the previous plan's lists.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { Http } from '../helpers/http.js';
import { repoRoot } from '../helpers/paths.js';
import { collectConsoleErrors, keepScreenshot, logIn } from './dashboard-support.js';
import { ADMIN_PASSWORD, E2eController } from './support.js';

const fixturePlan = JSON.parse(
  readFileSync(path.join(repoRoot, 'test/fixtures/e2e-plan.json'), 'utf8'),
) as { plan: { id: string }; content: { id: string; text: string }[] };
const demoPlan = JSON.parse(
  readFileSync(path.join(repoRoot, 'assets/demo/dak-lak-148.json'), 'utf8'),
) as unknown;

/** No English sentence of the controller's in what the page says. */
async function expectNoServerEnglish(page: Page) {
  const text = await page.locator('main').innerText();
  for (const english of [/exists/, /four-eyes/, /revision you saw/, /Máy chủ trả lời/]) {
    expect(text).not.toMatch(english);
  }
}

test.describe('dashboard polish', () => {
  let controller: E2eController | undefined;
  test.afterEach(async () => {
    await controller?.stop();
    controller = undefined;
  });

  test('a duplicate user is refused in Vietnamese, and the earlier success notice goes', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Người dùng' }).click();
    const create = async () => {
      await page.getByLabel('Tên đăng nhập', { exact: true }).fill('bientap');
      await page.getByLabel('Mật khẩu ban đầu').fill('bientap-password-1');
      await page.getByRole('button', { name: 'Tạo người dùng' }).click();
    };
    await create();
    const ok = page.locator('.notice-ok');
    await expect(ok).toContainText('Đã tạo người dùng bientap');
    await create();
    const refusal = page.getByTestId('error-notice');
    await expect(refusal).toContainText('Không thực hiện được:');
    await expect(refusal).toContainText('đã có người dùng tên đăng nhập “bientap”');
    await expect(ok).toHaveText('');
    await expectNoServerEnglish(page);
    await keepScreenshot(page, 'polish-users-duplicate');
    expect(errors.filter((e) => !e.includes('409'))).toEqual([]);

    // A viewer who opens the users page is told it is not for their role, not that it is missing.
    const viewer = await controller.admin.request('POST', '/api/users', {
      username: 'xem',
      password: 'xem-password-123',
      role: 'viewer',
    });
    expect(viewer.status).toBe(201);
    const context = await page.context().browser()?.newContext();
    const viewerPage = await context?.newPage();
    if (!viewerPage) throw new Error('no page');
    await logIn(viewerPage, controller.url, 'xem', 'xem-password-123');
    await viewerPage.goto(`${controller.url}/#/users`);
    await expect(viewerPage.getByTestId('page-forbidden')).toContainText(
      'Không có quyền xem trang này',
    );
    await expect(viewerPage.getByTestId('page-missing')).toHaveCount(0);
    await viewerPage.goto(`${controller.url}/#/khong-co`);
    await expect(viewerPage.getByTestId('page-missing')).toHaveText('Không có trang này.');
    await context?.close();
  });

  test('an admin sees a user’s API tokens and revokes one; the token no longer works', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    const created = await controller.admin.request('POST', '/api/users', {
      username: 'bientap',
      password: 'bientap-password-1',
      role: 'editor',
    });
    expect(created.status).toBe(201);
    const editor = await Http.login(controller.url, 'bientap', 'bientap-password-1');
    const made: string[] = [];
    for (const name of ['may-in', 'tap-lenh']) {
      const token = await editor.request<{ token: string }>('POST', '/api/auth/tokens', { name });
      expect(token.status).toBe(201);
      made.push(token.body.token);
    }
    const plansUrl = `${controller.url}/api/plans`;
    const asToken = (token: string) =>
      fetch(plansUrl, { headers: { authorization: `Bearer ${token}` } });
    expect((await asToken(made[0] ?? '')).status).toBe(200);

    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Người dùng' }).click();
    await page.getByRole('button', { name: 'Mã truy cập API của bientap' }).click();
    const dialog = page.getByTestId('user-tokens');
    await expect(dialog.locator('li')).toHaveCount(2);
    await keepScreenshot(page, 'users-tokens');
    await dialog.getByRole('button', { name: 'Thu hồi mã “may-in”' }).click();
    await expect(dialog).toContainText('Đã thu hồi mã “may-in”.');
    await expect(dialog.locator('li')).toHaveCount(1);
    expect((await asToken(made[0] ?? '')).status).toBe(401);
    expect((await asToken(made[1] ?? '')).status).toBe(200);
    expect(errors).toEqual([]);
  });

  test('four-eyes: Approve is disabled, with the reason, on an item the user changed; enabled once an admin relaxes it', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);
    const [slogan] = fixturePlan.content;
    if (!slogan) throw new Error('the fixture plan changed');
    const edit = await controller.admin.request(
      'PATCH',
      `/api/plans/${fixturePlan.plan.id}/content/${slogan.id}`,
      { text: 'MỪNG ĐẢNG, MỪNG XUÂN' },
    );
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Phê duyệt' }).click();
    const row = page.locator(`[data-testid=approval-row][data-id="${slogan.id}"]`);
    const approve = row.getByTestId('approval-approve');
    await expect(approve).toBeDisabled();
    await expect(approve).toHaveAccessibleDescription(
      'Bạn đã sửa mục này: cần một người duyệt khác.',
    );
    await expect(row.getByTestId('approval-reject')).toBeDisabled();
    await expect(row.getByRole('checkbox')).toBeDisabled();
    await keepScreenshot(page, 'polish-approvals-four-eyes');

    const relaxed = await controller.admin.request('PATCH', '/api/settings', { fourEyes: false });
    expect(relaxed.status).toBe(200);
    await page.reload();
    await expect(approve).toBeEnabled();
    await expect(row.getByTestId('approval-own')).toHaveCount(0);
    await approve.click();
    await expect(page.getByTestId('approval-queue').locator('.notice-ok')).toContainText(
      'Đã duyệt',
    );
  });

  test('a stale approval is refused in Vietnamese, each item listed', async ({ page }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);
    const [slogan] = fixturePlan.content;
    if (!slogan) throw new Error('the fixture plan changed');
    const url = `/api/plans/${fixturePlan.plan.id}/content/${slogan.id}`;
    expect((await controller.admin.request('PATCH', url, { text: 'MỘT' })).status).toBe(200);
    // An approver who wrote none of it opens the queue; then the item changes again.
    const made = await controller.admin.request('POST', '/api/users', {
      username: 'lanhdao',
      password: 'lanhdao-password-1',
      role: 'approver',
    });
    expect(made.status).toBe(201);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'lanhdao', 'lanhdao-password-1');
    await page.getByRole('navigation').getByRole('link', { name: 'Phê duyệt' }).click();
    const row = page.locator(`[data-testid=approval-row][data-id="${slogan.id}"]`);
    await expect(row.getByTestId('approval-approve')).toBeEnabled();
    expect((await controller.admin.request('PATCH', url, { text: 'HAI' })).status).toBe(200);
    await row.getByTestId('approval-approve').click();
    const refusal = page.getByTestId('error-notice');
    await expect(refusal).toContainText('Không thực hiện được:');
    await expect(refusal).toContainText(/đã thay đổi từ phiên bản \d+: nay là phiên bản \d+/);
    await expectNoServerEnglish(page);
    await keepScreenshot(page, 'polish-approvals-stale');
  });

  test('blank-all needs the exact word BLANK-ALL', async ({ page }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Khẩn cấp' }).click();
    await page.getByTestId('blank-all-open').click();
    const word = page.getByTestId('blank-all-confirm-text');
    const confirm = page.getByTestId('blank-all-confirm');
    await word.fill('blank-all');
    await expect(confirm).toBeDisabled();
    await word.fill('Blank-All');
    await expect(confirm).toBeDisabled();
    await word.fill('BLANK-ALL');
    await expect(confirm).toBeEnabled();
  });

  test('the audit log writes instants in its zone and names actions in Vietnamese', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);
    // An entry whose details hold an instant: an urgent announcement (its end, `to`).
    const urgent = await controller.admin.request(
      'POST',
      `/api/plans/${fixturePlan.plan.id}/urgent-announcements`,
      { id: 'khan-1', text: 'THÔNG BÁO KHẨN', to: '2030-01-06T10:00:00+07:00' },
    );
    expect(urgent.status, JSON.stringify(urgent.body)).toBe(201);
    const ended = await controller.admin.request(
      'POST',
      `/api/plans/${fixturePlan.plan.id}/urgent-announcements/khan-1/end`,
      {},
    );
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Nhật ký' }).click();
    const table = page.getByTestId('audit-table');
    await expect(table.locator('[data-action="auth.login"]').first()).toContainText('Đăng nhập');
    await expect(table.locator('[data-action="auth.login"]').first()).toContainText('auth.login');
    const details = await table.locator('td.audit-details').allInnerTexts();
    expect(details.join('\n')).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
    expect(details.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    await keepScreenshot(page, 'polish-audit');
  });

  test('reports: another plan’s lists come at once; dates typed by hand drop the phase from the address', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);
    expect((await controller.admin.request('POST', '/api/plans/import', demoPlan)).status).toBe(
      201,
    );
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${controller.url}/#/reports?plan=${fixturePlan.plan.id}`);
    const filters = page.getByTestId('report-filters');
    const board = filters.getByLabel('Bảng điện tử');
    await expect(board.locator('option[value="led"]')).toHaveCount(1);
    await filters.getByLabel('Kế hoạch').selectOption('kh-148');
    // Without pressing "Lập báo cáo": the lists are the new plan's, and usable.
    await expect(board).toBeEnabled();
    await expect(board.locator('option[value="dl-buon-ho"]')).toHaveCount(1);
    await expect(board.locator('option[value="led"]')).toHaveCount(0);
    await expect(filters.getByLabel('Đợt', { exact: true })).toBeEnabled();
    await keepScreenshot(page, 'polish-reports-plan-switch');

    await filters.getByLabel('Kế hoạch').selectOption(fixturePlan.plan.id);
    await filters.getByLabel('Đợt', { exact: true }).selectOption('dot-1');
    await filters.getByRole('button', { name: 'Lập báo cáo' }).click();
    await expect(page).toHaveURL(/phase=dot-1/);
    await filters.getByLabel('Từ ngày').fill('2030-01-03');
    await expect(filters.getByLabel('Đợt', { exact: true })).toHaveValue('');
    await filters.getByRole('button', { name: 'Lập báo cáo' }).click();
    await expect(page).toHaveURL(/from=2030-01-03/);
    expect(page.url()).not.toMatch(/phase=/);
  });
});
