import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { uploadDemoBanners } from '../helpers/demo-banners.js';
import { Http } from '../helpers/http.js';
import { repoRoot } from '../helpers/paths.js';
import { solidPng } from '../helpers/png.js';
import {
  collectConsoleErrors,
  keepScreenshot,
  logIn,
  untranslatedStrings,
} from './dashboard-support.js';
import { ADMIN_PASSWORD, E2eController, playerNow } from './support.js';

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
    const before = await controller.admin.request(
      'GET',
      `/api/plans/${fixturePlan.plan.id}/export`,
    );
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);

    const broken = structuredClone(fixturePlan);
    const [, phase2] = broken.phases;
    const [playlist1] = broken.playlists;
    const [schedule1] = broken.schedules;
    if (!phase2 || !playlist1 || !schedule1) throw new Error('the fixture plan changed');
    broken.plan.timeZone = 'Asia/Hanoi_Nowhere';
    phase2.to = '2030-01-05';
    playlist1.items.push('khong-co');
    broken.boards.push({ ...broken.boards[0] });
    schedule1.surprise = 1;

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
    // Every reason in Vietnamese, from the problem's code and params, beside its JSON path.
    for (const [where, reason] of [
      ['$.plan.timeZone', 'không có múi giờ “Asia/Hanoi_Nowhere”'],
      ['$.phases[1].to', 'ngày kết thúc (2030-01-05) trước ngày bắt đầu (2030-01-11)'],
      ['$.playlists[0].items[2]', 'không có nội dung “khong-co”'],
      ['$.boards[2].id', 'mã “led” bị trùng'],
      ['$.schedules[0].surprise', 'trường không có trong định dạng'],
    ] as const) {
      await expect(problems.locator('li').filter({ hasText: where })).toHaveText(
        `${where} ${reason}`,
      );
    }
    await expect(problems.locator('li')).toHaveCount(5);
    await expect(problems).not.toContainText(/unknown|duplicate|before|field/);
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
    await uploadDemoBanners(controller.admin);
    for (const plan of demoPlans) await controller.importAndPublish(plan);
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${controller.url}/`);
    await expect(page.getByRole('heading', { name: 'Đăng nhập' })).toBeVisible();
    expect(await untranslatedStrings(page)).toEqual([]);
    await keepScreenshot(page, 'dashboard-login');
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);

    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    const pages = await nav
      .locator('a[data-nav]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('data-nav') ?? ''));
    expect(pages).toEqual(expect.arrayContaining(['plans']));
    for (const name of pages) {
      await nav.locator(`a[data-nav="${name}"]`).click();
      await expect(nav.locator(`a[data-nav="${name}"]`)).toHaveAttribute('aria-current', 'page');
      // Settled: nothing still loading.
      await expect(page.locator('.loading')).toHaveCount(0);
      await expect(page.getByText('Đang tải…')).toHaveCount(0);
      await page.waitForLoadState('networkidle');
      expect(await untranslatedStrings(page), `untranslated on ${name}`).toEqual([]);
      // Labelled for screen readers, usable with the keyboard: no serious axe-core finding.
      const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      const serious = axe.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(serious, `accessibility on ${name}`).toEqual([]);
      await keepScreenshot(page, `dashboard-${name}`);
    }

    // On a tablet held upright nothing is cut off: no page is wider than the screen.
    await page.setViewportSize({ width: 820, height: 1180 });
    for (const name of pages) {
      await nav.locator(`a[data-nav="${name}"]`).click();
      await expect(page.locator('.loading')).toHaveCount(0);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `horizontal overflow on ${name} at 820 px`).toBeLessThanOrEqual(0);
      if (['plans', 'content', 'boards'].includes(name)) {
        await keepScreenshot(page, `dashboard-tablet-${name}`);
      }
    }
    expect(errors).toEqual([]);
  });

  test('an editor writes a slogan, builds a playlist and schedules it on a phase for the border-gate board; an approver approves and publishes; the paired board shows it; an urgent announcement preempts it, then expires', async ({
    browser,
  }) => {
    test.setTimeout(300_000);
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);
    const people = [
      { username: 'bientap', role: 'editor' },
      { username: 'lanhdao', role: 'approver' },
      { username: 'kythuat', role: 'technician' },
    ];
    for (const p of people) {
      const made = await controller.admin.request('POST', '/api/users', {
        username: p.username,
        password: `${p.username}-password-1`,
        role: p.role,
      });
      expect(made.status).toBe(201);
    }
    const url = controller.url;
    const open = async (username: string) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const errors = collectConsoleErrors(page);
      await logIn(page, url, username, `${username}-password-1`);
      return { page, errors };
    };

    // The border-gate board: a player pairing, claimed by the technician from the dashboard.
    const board = await (await browser.newContext()).newPage();
    await board.goto(`${controller.url}/player`);
    await expect(board.locator('html')).toHaveAttribute('data-pairing-code', /^[A-Z2-9]{4}-/);
    const code = (await board.locator('html').getAttribute('data-pairing-code')) ?? '';
    const tech = await open('kythuat');
    await tech.page.getByRole('navigation').getByRole('link', { name: 'Bảng điện tử' }).click();
    const claim = tech.page.getByTestId('claim-form');
    await claim.getByLabel('Mã ghép nối trên màn hình bảng').fill(code.toLowerCase());
    await claim.getByLabel('Ghép với bảng').selectOption('led');
    await claim.getByRole('button', { name: 'Ghép nối', exact: true }).click();
    await expect(tech.page.getByTestId('claim-done')).toBeVisible();
    await expect(board.locator('html')).toHaveAttribute('data-state', 'playing', {
      timeout: 20_000,
    });
    const before = await playerNow(board);

    // The editor: a slogan, a playlist with it, a schedule on Đợt I for the border gate.
    const editor = await open('bientap');
    const slogan = 'Cửa khẩu Bờ Y: văn minh, thân thiện, an toàn';
    await editor.page.getByRole('navigation').getByRole('link', { name: 'Nội dung' }).click();
    await editor.page.getByTestId('new-slogan').click();
    await editor.page.getByTestId('slogan-text').fill(slogan);
    await expect(
      editor.page.getByTestId('slogan-preview').locator('.preview-screen'),
    ).toHaveAttribute('data-preview-ready', 'true');
    await keepScreenshot(editor.page, 'dashboard-slogan-editor');
    const sloganId = await editor.page.getByTestId('slogan-id').inputValue();
    expect(sloganId).not.toBe('');
    await editor.page.getByTestId('slogan-save').click();
    await expect(editor.page.locator(`tr[data-content="${sloganId}"]`)).toBeVisible();

    await editor.page.getByRole('navigation').getByRole('link', { name: 'Danh sách phát' }).click();
    await editor.page.getByTestId('new-playlist').click();
    await editor.page.getByTestId('playlist-name').fill('Chào mừng khách qua cửa khẩu');
    const playlistId = await editor.page.getByTestId('playlist-id').inputValue();
    await editor.page.getByTestId('playlist-add-search').fill('Bờ Y');
    await editor.page.getByRole('button', { name: `(mã ${sloganId})` }).click();
    await expect(editor.page.getByTestId('playlist-row')).toHaveCount(1);
    await editor.page.getByTestId('playlist-save').click();
    await expect(editor.page.locator(`[data-playlist="${playlistId}"]`).first()).toBeVisible();

    await editor.page.getByRole('navigation').getByRole('link', { name: 'Lịch phát' }).click();
    await editor.page.getByRole('button', { name: 'Tạo lịch phát' }).click();
    const form = editor.page.getByTestId('schedule-form');
    await form.getByLabel('Danh sách phát').selectOption(playlistId);
    await form.getByLabel('Theo một đợt của kế hoạch').check();
    await form.getByLabel('Đợt', { exact: true }).selectOption('dot-1');
    await form.getByLabel('Chỉ các bảng hoặc nhãn được chọn').check();
    await form.getByRole('checkbox', { name: /Cửa khẩu quốc tế Bờ Y/ }).check();
    await form.getByLabel('Mức ưu tiên').fill('10');
    await form.getByRole('button', { name: 'Lưu', exact: true }).click();
    await expect(editor.page.getByRole('status').filter({ hasText: 'Đã lưu lịch' })).toBeVisible();
    // Nothing reaches the board before an approver approves and publishes.
    const unpublished = await playerNow(board);
    expect(unpublished.bundle).toBe(before.bundle);
    expect(unpublished.nowPlaying).not.toBe(sloganId);

    // The approver: approves the three changes side by side with what is live, then publishes.
    const approver = await open('lanhdao');
    await approver.page.getByRole('navigation').getByRole('link', { name: 'Phê duyệt' }).click();
    const rows = approver.page.getByTestId('approval-row');
    for (const id of [sloganId, playlistId]) {
      await expect(
        approver.page.locator(`[data-testid=approval-row][data-id="${id}"]`),
      ).toHaveCount(1);
    }
    const sloganRow = approver.page.locator(`[data-testid=approval-row][data-id="${sloganId}"]`);
    await sloganRow.getByTestId('approval-toggle').click();
    await expect(approver.page.locator('.preview-screen[data-preview-ready=true]')).not.toHaveCount(
      0,
    );
    await keepScreenshot(approver.page, 'dashboard-approval-change');
    const pending = await rows.count();
    expect(pending).toBe(3);
    for (let i = 0; i < pending; i++) {
      await approver.page.getByTestId('approval-approve').first().click();
      await expect(rows).toHaveCount(pending - i - 1);
    }
    await approver.page.getByTestId('publish-open').click();
    await approver.page.getByTestId('publish-confirm').click();
    await expect(approver.page.getByTestId('published-version')).toContainText(/\b2\b/);
    await expect(board.locator('html')).toHaveAttribute('data-now-playing', sloganId, {
      timeout: 20_000,
    });

    // An urgent announcement preempts the slogan on the board, and ends on its own.
    await approver.page.getByRole('navigation').getByRole('link', { name: 'Khẩn cấp' }).click();
    await approver.page.getByTestId('urgent-text').fill('Cửa khẩu tạm dừng thông quan 30 phút');
    const nowMs = await controller.serverNow();
    const untilMs = Math.ceil((nowMs + 45_000) / 60_000) * 60_000;
    const localUntil = new Date(untilMs + 7 * 3_600_000).toISOString().slice(0, 16);
    await approver.page.getByTestId('urgent-until').fill(localUntil);
    await approver.page.getByTestId('urgent-send').click();
    const listed = approver.page.getByTestId('urgent-announcement');
    await expect(listed).toHaveCount(1);
    const announcementId = (await listed.getAttribute('data-announcement')) ?? '';
    await expect(board.locator('html')).toHaveAttribute('data-now-playing', announcementId, {
      timeout: 20_000,
    });
    await keepScreenshot(approver.page, 'dashboard-urgent-sent');
    await expect(board.locator('html')).toHaveAttribute('data-now-playing', sloganId, {
      timeout: untilMs - (await controller.serverNow()) + 20_000,
    });
    expect((await playerNow(board)).atMs).toBeGreaterThanOrEqual(untilMs);

    // A second one, for two hours, is ended early from the list: the board is back at once.
    await approver.page.getByTestId('urgent-text').fill('Mưa lớn: đường lên cửa khẩu bị ngập');
    const laterMs = Math.ceil(((await controller.serverNow()) + 2 * 3_600_000) / 60_000) * 60_000;
    await approver.page
      .getByTestId('urgent-until')
      .fill(new Date(laterMs + 7 * 3_600_000).toISOString().slice(0, 16));
    await approver.page.getByTestId('urgent-send').click();
    const second = listed.filter({ hasText: 'Mưa lớn' });
    await expect(second).toHaveCount(1);
    const secondId = (await second.getAttribute('data-announcement')) ?? '';
    await expect(board.locator('html')).toHaveAttribute('data-now-playing', secondId, {
      timeout: 20_000,
    });
    await second.getByTestId('urgent-end').click();
    const dialog = approver.page.getByRole('dialog');
    await expect(dialog).toContainText(`Kết thúc thông báo “${secondId}” ngay?`);
    await keepScreenshot(approver.page, 'dashboard-urgent-end');
    const endedAt = Date.now();
    await dialog.getByRole('button', { name: 'Kết thúc ngay' }).click();
    await expect(approver.page.getByTestId('urgent-list')).toContainText(
      `Đã kết thúc thông báo “${secondId}”`,
    );
    await expect(second).toHaveCount(0);
    await expect(board.locator('html')).toHaveAttribute('data-now-playing', sloganId, {
      timeout: 5_000,
    });
    expect(Date.now() - endedAt).toBeLessThan(5_000);

    for (const who of [tech, editor, approver]) {
      expect(who.errors).toEqual([]);
    }
  });

  test('an anniversary typed but not added is added on save, or the save says why; it is never dropped', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Lịch phát' }).click();
    await page.getByRole('button', { name: 'Tạo lịch phát' }).click();
    const form = page.getByTestId('schedule-form');
    const typed = form.getByTestId('schedule-on').getByLabel('Ngày kỷ niệm cần thêm');
    await typed.fill('abc');
    await form.getByRole('button', { name: 'Lưu', exact: true }).click();
    await expect(form).toContainText('Ngày kỷ niệm đang gõ chưa thêm được');
    await expect(form).toContainText('“abc” không phải một ngày có thật');
    // 19/5, typed the Vietnamese way, never "added": saving keeps it.
    await typed.fill('19/5');
    const id = await form.getByLabel('Mã định danh').inputValue();
    await form.getByRole('button', { name: 'Lưu', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Đã lưu lịch' })).toBeVisible();
    const saved = await controller.admin.request<{ on?: string[] }>(
      'GET',
      `/api/plans/e2e/schedules/${id}`,
    );
    expect(saved.body.on).toEqual(['05-19']);
    expect(errors).toEqual([]);
  });

  test('an editor creates a plan with two phases and a sub-phase, edits its header, and deletes a phase: refused with the reason while a schedule uses it, gone when unused', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    const imported = await controller.admin.request('POST', '/api/plans/import', fixturePlan);
    expect(imported.status).toBe(201);
    const made = await controller.admin.request('POST', '/api/users', {
      username: 'bientap',
      password: 'bientap-password-1',
      role: 'editor',
    });
    expect(made.status).toBe(201);
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'bientap', 'bientap-password-1');

    // A new plan: the id is proposed from the title, the zone is Vietnam's; the form checks first.
    await page.getByTestId('new-plan').click();
    const planForm = page.getByTestId('plan-form');
    await planForm.getByTestId('plan-save').click();
    await expect(planForm.getByTestId('problems')).toHaveText('Tên kế hoạch: cần có tên kế hoạch');
    await expect(planForm.getByTestId('plan-title')).toHaveAttribute('aria-invalid', 'true');
    const title = 'Kế hoạch tuyên truyền bầu cử đại biểu Quốc hội khóa XVI';
    await planForm.getByTestId('plan-title').fill(title);
    await planForm.getByTestId('plan-code').fill('05-KH/BTG');
    await planForm.getByTestId('plan-issuer').fill('Ban Tuyên giáo Tỉnh ủy');
    await expect(planForm.getByTestId('plan-id')).toHaveValue(
      'ke-hoach-tuyen-truyen-bau-cu-dai-bieu-quoc-hoi',
    );
    await planForm.getByTestId('plan-id').fill('bau-cu-2031');
    await expect(planForm.getByTestId('plan-timezone')).toHaveValue('Asia/Ho_Chi_Minh');
    await keepScreenshot(page, 'dashboard-plan-new');
    await page.setViewportSize({ width: 768, height: 1024 });
    await keepScreenshot(page, 'dashboard-tablet-plan-new');
    await page.setViewportSize({ width: 1280, height: 800 });
    await planForm.getByTestId('plan-save').click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Đã tạo kế hoạch 05-KH/BTG' }),
    ).toBeVisible();
    await expect(page.locator('tr[data-plan="bau-cu-2031"]')).toContainText('Đang làm việc');
    await expect(page.locator('#plan-select')).toHaveValue('bau-cu-2031');
    await expect(
      page.getByRole('heading', { name: 'Các đợt tuyên truyền — 05-KH/BTG' }),
    ).toBeVisible();

    // Two phases, then a sub-phase inside the first.
    const addPhase = async (name: string, from: string, to: string, parentOf?: string) => {
      if (parentOf === undefined) await page.getByTestId('add-phase').click();
      else await page.locator(`tr[data-phase="${parentOf}"]`).getByTestId('add-sub-phase').click();
      const form = page.getByTestId('phase-form');
      await form.getByTestId('phase-name').fill(name);
      await form.getByTestId('phase-from').fill(from);
      await form.getByTestId('phase-to').fill(to);
      return form;
    };
    let form = await addPhase('Đợt I', '2031-01-01', '2031-03-31');
    await expect(form.getByTestId('phase-id')).toHaveValue('dot-i');
    await form.getByTestId('phase-save').click();
    await expect(page.locator('tr[data-phase="dot-i"]')).toBeVisible();
    form = await addPhase('Đợt II', '2031-04-01', '2031-06-30');
    await form.getByTestId('phase-save').click();
    await expect(page.locator('tr[data-phase="dot-ii"]')).toBeVisible();
    form = await addPhase('Cao điểm bầu cử', '2031-03-01', '2031-04-05', 'dot-i');
    await expect(form.getByTestId('phase-parent')).toHaveValue('dot-i');
    await form.getByTestId('phase-save').click();
    // Outside its parent: said before anything is sent.
    await expect(form.getByTestId('problems')).toContainText(
      'Đến: kết thúc sau đợt “Đợt I” (đến 2031-03-31)',
    );
    await keepScreenshot(page, 'dashboard-phase-new');
    await page.setViewportSize({ width: 768, height: 1024 });
    await keepScreenshot(page, 'dashboard-tablet-phase-new');
    await page.setViewportSize({ width: 1280, height: 800 });
    await form.getByTestId('phase-to').fill('2031-03-20');
    await form.getByTestId('phase-save').click();
    await expect(page.locator('tr[data-phase="cao-diem-bau-cu"]')).toContainText('Đợt I');
    await expect(page.locator('.phase-timeline g[data-phase]')).toHaveCount(3);
    const created = await controller.admin.request<{
      plan: Record<string, unknown>;
      phases: unknown[];
    }>('GET', '/api/plans/bau-cu-2031');
    expect(created.body.plan).toEqual({
      id: 'bau-cu-2031',
      code: '05-KH/BTG',
      title,
      issuer: 'Ban Tuyên giáo Tỉnh ủy',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect(created.body.phases).toEqual([
      { id: 'dot-i', name: 'Đợt I', from: '2031-01-01', to: '2031-03-31' },
      { id: 'dot-ii', name: 'Đợt II', from: '2031-04-01', to: '2031-06-30' },
      {
        id: 'cao-diem-bau-cu',
        name: 'Cao điểm bầu cử',
        from: '2031-03-01',
        to: '2031-03-20',
        parent: 'dot-i',
      },
    ]);
    await keepScreenshot(page, 'dashboard-plans-new-phases');

    // The header: a new title and issuer, a note; the number emptied is none.
    await page.locator('tr[data-plan="bau-cu-2031"]').getByTestId('edit-plan').click();
    const header = page.getByTestId('plan-form');
    await expect(header.getByTestId('plan-id')).toHaveAttribute('readonly', '');
    await header.getByTestId('plan-title').fill(`${title} (sửa đổi)`);
    await header.getByTestId('plan-issuer').fill('Ủy ban bầu cử tỉnh');
    await header.getByTestId('plan-code').fill('');
    await header.getByTestId('plan-note').fill('Theo Nghị quyết của Ủy ban Thường vụ Quốc hội.');
    await keepScreenshot(page, 'dashboard-plan-edit');
    await header.getByTestId('plan-save').click();
    await expect(page.getByRole('status').filter({ hasText: 'Đã lưu thông tin' })).toBeVisible();
    await expect(page.locator('tr[data-plan="bau-cu-2031"]')).toContainText('(sửa đổi)');
    const edited = await controller.admin.request<{ plan: Record<string, unknown> }>(
      'GET',
      '/api/plans/bau-cu-2031',
    );
    expect(edited.body.plan).toEqual({
      id: 'bau-cu-2031',
      title: `${title} (sửa đổi)`,
      issuer: 'Ủy ban bầu cử tỉnh',
      timeZone: 'Asia/Ho_Chi_Minh',
      note: 'Theo Nghị quyết của Ủy ban Thường vụ Quốc hội.',
    });

    // A phase no schedule uses is deleted.
    await page.locator('tr[data-phase="dot-ii"]').getByTestId('delete-phase').click();
    await page.getByTestId('phase-delete-submit').click();
    await expect(page.getByRole('status').filter({ hasText: 'Đã xóa đợt “Đợt II”' })).toBeVisible();
    await expect(page.locator('tr[data-phase="dot-ii"]')).toHaveCount(0);
    const afterDelete = await controller.admin.request<{ phases: { id: string }[] }>(
      'GET',
      '/api/plans/bau-cu-2031',
    );
    expect(afterDelete.body.phases.map((p) => p.id)).toEqual(['dot-i', 'cao-diem-bau-cu']);

    // In the fixture plan, Đợt I carries two schedules: the controller refuses, and says why.
    await page
      .locator('tr[data-plan="e2e"]')
      .getByRole('button', { name: 'Làm việc với kế hoạch này' })
      .click();
    await page.locator('tr[data-phase="dot-1"]').getByTestId('delete-phase').click();
    const deleting = page.getByTestId('phase-delete-form');
    await expect(deleting).toContainText('Đợt này đang được dùng');
    await page.getByTestId('phase-delete-submit').click();
    const refused = page.getByTestId('phase-delete-refused');
    await expect(refused).toContainText('Không xóa được đợt “Đợt I”.');
    await expect(refused.locator('li')).toHaveText([
      'Lịch phát “sc1” (danh sách phát “Đợt I”)',
      'Lịch phát “sc-dem” (danh sách phát “Ban đêm”)',
    ]);
    expect(await untranslatedStrings(page)).toEqual([]);
    await keepScreenshot(page, 'dashboard-phase-delete-refused');
    await page.setViewportSize({ width: 768, height: 1024 });
    await keepScreenshot(page, 'dashboard-tablet-phase-delete-refused');
    await page.setViewportSize({ width: 1280, height: 800 });
    await deleting.getByRole('button', { name: 'Đóng' }).click();
    const kept = await controller.admin.request<{ phases: { id: string }[] }>(
      'GET',
      '/api/plans/e2e',
    );
    expect(kept.body.phases.map((p) => p.id)).toEqual(['dot-1', 'dot-2']);
    // The refused delete is the one failed request.
    expect(errors.filter((e) => !/phases\/dot-1|status of 400/.test(e))).toEqual([]);
  });

  test('a plan is deleted only once its id is typed; the working plan moves to another', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.admin.request('POST', '/api/plans/import', fixturePlan);
    await controller.admin.request('POST', '/api/plans', {
      id: 'bo-di',
      title: 'Kế hoạch bỏ đi',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page
      .locator('tr[data-plan="bo-di"]')
      .getByRole('button', { name: 'Làm việc với kế hoạch này' })
      .click();
    await page.locator('tr[data-plan="bo-di"]').getByTestId('delete-plan').click();
    const submit = page.getByTestId('plan-delete-submit');
    await expect(submit).toBeDisabled();
    await page.getByTestId('plan-delete-typed').fill('bo');
    await expect(submit).toBeDisabled();
    await page.getByTestId('plan-delete-typed').fill('bo-di');
    await keepScreenshot(page, 'dashboard-plan-delete');
    await submit.click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Đã xóa kế hoạch bo-di' }),
    ).toBeVisible();
    await expect(page.locator('tr[data-plan="bo-di"]')).toHaveCount(0);
    await expect(page.locator('tr[data-plan="e2e"]')).toContainText('Đang làm việc');
    expect((await controller.admin.request('GET', '/api/plans/bo-di')).status).toBe(404);
    expect(errors).toEqual([]);
  });

  test('unsaved work: browser Back asks and stays on Cancel, the tab asks before closing; with nothing unsaved nothing asks', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.admin.request('POST', '/api/plans/import', fixturePlan);
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Nội dung' }).click();
    await page.getByTestId('new-slogan').click();
    await expect(page).toHaveURL(/#\/content\/new$/);
    // Nothing typed yet: Back just goes back, and Forward returns.
    await page.goBack();
    await expect(page).toHaveURL(/#\/content$/);
    await page.goForward();
    await expect(page).toHaveURL(/#\/content\/new$/);
    await page.getByTestId('slogan-text').fill('TOÀN DÂN ĐI BẦU CỬ');

    const leave = page.getByRole('dialog', { name: 'Chưa lưu thay đổi' });
    await page.goBack();
    await expect(leave).toBeVisible();
    await expect(page).toHaveURL(/#\/content\/new$/);
    await leave.getByRole('button', { name: 'Hủy' }).click();
    await expect(leave).toBeHidden();
    await expect(page).toHaveURL(/#\/content\/new$/);
    await expect(page.getByTestId('slogan-text')).toHaveValue('TOÀN DÂN ĐI BẦU CỬ');

    // Closing or reloading the tab: the browser's own question, answered "stay".
    const asked = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      });
    });
    await page.close({ runBeforeUnload: true });
    expect(await asked).toBe('beforeunload');
    expect(page.isClosed()).toBe(false);
    await expect(page.getByTestId('slogan-text')).toHaveValue('TOÀN DÂN ĐI BẦU CỬ');

    // Back again, and this time leave: the previous page shows, the history as it was.
    await page.goBack();
    await leave.getByRole('button', { name: 'Rời trang, bỏ thay đổi' }).click();
    await expect(page).toHaveURL(/#\/content$/);
    await expect(page.getByTestId('new-slogan')).toBeVisible();
    await page.goBack();
    await expect(page).toHaveURL(/#\/plans$|\/$/);
    await expect(leave).toBeHidden();

    // A phase being added on the plans page is unsaved work too.
    await page.goto(`${controller.url}/#/content`);
    await page.getByRole('navigation').getByRole('link', { name: 'Kế hoạch' }).click();
    await page.getByTestId('add-phase').click();
    await page.getByTestId('phase-name').fill('Đợt III');
    await page.goBack();
    await expect(leave).toBeVisible();
    await leave.getByRole('button', { name: 'Hủy' }).click();
    await expect(page).toHaveURL(/#\/plans$/);
    await expect(page.getByTestId('phase-name')).toHaveValue('Đợt III');
    expect(errors).toEqual([]);
  });

  test('keyboard focus starts in the username field, then lands on the heading of each page reached by a link', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.admin.request('POST', '/api/plans/import', fixturePlan);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${controller.url}/`);
    await expect(page.getByLabel('Tên đăng nhập')).toBeFocused();
    await page.keyboard.type('admin');
    await page.getByLabel('Mật khẩu').fill(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    const title = page.locator('h1#page-title');
    await expect(title).toHaveText('Kế hoạch tuyên truyền');
    await expect(title).toBeFocused();
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    for (const [link, heading] of [
      ['Nội dung', 'Nội dung'],
      ['Danh sách phát', 'Danh sách phát'],
      ['Bảng điện tử', 'Bảng điện tử'],
    ] as const) {
      await nav.getByRole('link', { name: link }).click();
      await expect(page.locator('.loading')).toHaveCount(0);
      await expect(title).toContainText(heading);
      await expect(title).toBeFocused();
    }
    // In-page links: a board, then its day view on the schedules page.
    await page.getByRole('link', { name: 'Trụ sở' }).first().click();
    await expect(title).toHaveText('Trụ sở');
    await expect(title).toBeFocused();
    await page.getByRole('link', { name: 'Xem lịch phát trong ngày' }).click();
    await expect(page).toHaveURL(/#\/schedules\?board=office$/);
    await expect(page.locator('.loading')).toHaveCount(0);
    await expect(title).toHaveText('Lịch phát');
    await expect(title).toBeFocused();
    // Tab goes on from the top of the page, not from the start of the document.
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => document.activeElement?.closest('main') !== null);
    expect(inMain).toBe(true);
  });

  test('a playlist is reordered by drag and drop and from the keyboard; the loop length follows the items', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${controller.url}/#/playlists/edit/p1`);
    const rows = page.getByTestId('playlist-row');
    await expect(rows).toHaveCount(2);
    for (const id of ['s3', 's4']) {
      await page.getByRole('button', { name: `(mã ${id})` }).click();
    }
    const order = () =>
      rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-content') ?? ''));
    await expect.poll(order).toEqual(['s1', 's2', 's3', 's4']);

    await rows.nth(0).dragTo(rows.nth(2));
    await expect.poll(order).toEqual(['s2', 's3', 's1', 's4']);
    const down = rows.nth(0).getByRole('button', { name: /xuống dưới/ });
    await down.focus();
    await page.keyboard.press('Enter');
    await expect.poll(order).toEqual(['s3', 's2', 's1', 's4']);

    // The loop is the sum of the items' durations (the content's own, else 15 s for a slogan).
    const content = (fixturePlan as unknown as { content: { id: string; durationSec?: number }[] })
      .content;
    const loop = content.reduce((sum, c) => sum + (c.durationSec ?? 15), 0);
    await expect(page.getByTestId('loop-length')).toHaveAttribute('data-seconds', String(loop));
    await keepScreenshot(page, 'dashboard-playlist-editor');

    await page.getByTestId('playlist-save').click();
    const admin = controller.admin;
    await expect
      .poll(async () => {
        const saved = await admin.request<{ items: unknown[] }>(
          'GET',
          `/api/plans/${fixturePlan.plan.id}/playlists/p1`,
        );
        return saved.body.items;
      })
      .toEqual(['s3', 's2', 's1', 's4']);
    expect(errors).toEqual([]);
  });

  test('a banner is uploaded with a progress bar, previewed at the board size and saved as content', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${controller.url}/#/content/banner`);
    const upload = page.getByTestId('banner-upload');
    await upload.locator('input[type=file]').setInputFiles({
      name: 'co-do.png',
      mimeType: 'image/png',
      buffer: solidPng(384, 128, [200, 16, 32]),
    });
    await upload.getByTestId('banner-upload-submit').click();
    await expect(upload.getByTestId('banner-upload-progress').locator('progress')).toHaveAttribute(
      'value',
      '100',
    );
    // The bar is full once the bytes are sent; the file is stored when the answer comes.
    await expect(upload.getByRole('status').filter({ hasText: 'co-do' })).toBeVisible();
    const assets = await controller.admin.request<{ name: string; sha256: string }[]>(
      'GET',
      '/api/assets',
    );
    const uploaded = assets.body.find((a) => a.name.endsWith('.png'));
    expect(uploaded).toBeDefined();
    const select = page.getByTestId('banner-asset');
    if ((await select.inputValue()) === '') await select.selectOption(uploaded?.name ?? '');
    await expect(page.locator('.preview-screen[data-preview-ready=true]').first()).toBeVisible();
    const bannerId = await page.getByTestId('banner-id').inputValue();
    await keepScreenshot(page, 'dashboard-banner-upload');
    await page.getByTestId('banner-save').click();
    await expect(page.locator(`tr[data-content="${bannerId}"]`)).toBeVisible();
    const saved = await controller.admin.request<{ kind: string; asset: string }>(
      'GET',
      `/api/plans/${fixturePlan.plan.id}/content/${bannerId}`,
    );
    expect(saved.body).toMatchObject({ kind: 'banner', asset: uploaded?.name });
    expect(errors).toEqual([]);
  });

  test('a banner whose image was uploaded again shows the approved image beside the new one, marked replaced', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    const upload = async (http: Http, rgb: [number, number, number]) => {
      const res = await fetch(`${http.baseUrl}/api/assets?name=co-do.png`, {
        method: 'POST',
        headers: {
          'content-type': 'image/png',
          cookie: http.cookieHeader(),
          'x-csrf-token': http.csrfToken ?? '',
        },
        body: new Uint8Array(solidPng(384, 128, rgb)),
      });
      expect(res.status).toBe(201);
    };
    await upload(controller.admin, [200, 16, 32]);
    await controller.importAndPublish({
      ...fixturePlan,
      content: [
        ...(fixturePlan as unknown as { content: unknown[] }).content,
        { id: 'b-co', kind: 'banner', asset: 'co-do.png' },
      ],
      playlists: fixturePlan.playlists.map((p, i) =>
        i === 0 ? { ...p, items: [...p.items, 'b-co'] } : p,
      ),
    });
    const made = await controller.admin.request('POST', '/api/users', {
      username: 'bientap',
      password: 'bientap-password-1',
      role: 'editor',
    });
    expect(made.status).toBe(201);
    // An editor uploads other bytes under the same name.
    await upload(await Http.login(controller.url, 'bientap', 'bientap-password-1'), [250, 220, 0]);

    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Phê duyệt' }).click();
    const row = page.locator('[data-testid=approval-row][data-id="b-co"]');
    await expect(row.getByTestId('approval-row-image')).toHaveText('ảnh đã thay');
    await row.getByTestId('approval-toggle').click();
    await expect(page.getByTestId('approval-image-replaced')).toBeVisible();
    await expect(page.locator('[data-field=image]')).toHaveAttribute('data-changed', 'true');
    const approved = page.getByTestId('approval-preview-approved');
    const waiting = page.getByTestId('approval-preview-pending');
    await expect(approved.locator('.preview-screen')).toHaveAttribute('data-preview-ready', 'true');
    await expect(waiting.locator('.preview-screen')).toHaveAttribute('data-preview-ready', 'true');
    // Each side is drawn with its own image: red on air, yellow waiting.
    const middle = async (figure: typeof approved) => {
      const shot = await figure.locator('.preview-screen').screenshot();
      const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
      const at =
        (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
      return [data[at], data[at + 1], data[at + 2]];
    };
    await expect.poll(() => middle(approved)).toEqual([200, 16, 32]);
    await expect.poll(() => middle(waiting)).toEqual([250, 220, 0]);
    await keepScreenshot(page, 'dashboard-approval-image-replaced');
    expect(errors).toEqual([]);
  });

  test('an official slogan list is imported one slogan per line, with progress, into a playlist', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${controller.url}/#/content/import`);
    // As typed from the official list: numbered, blank lines between, decomposed accents.
    const list = [
      '1. Nhiệt liệt chào mừng Đại hội Đảng bộ tỉnh lần thứ XVII!',
      '',
      '2. Đảng Cộng sản Việt Nam quang vinh muôn năm!'.normalize('NFD'),
      '3. Toàn dân đoàn kết xây dựng biên giới hòa bình, hữu nghị',
    ].join('\n');
    await page.getByTestId('bulk-text').fill(list);
    await expect(page.getByTestId('bulk-table').locator('tbody tr')).toHaveCount(3);
    await page.getByTestId('bulk-playlist').selectOption('p2');
    await page.getByTestId('bulk-create').click();
    // The progress bar counts up while the slogans are created one by one; when all are in, the
    // page returns to the content list and says how many were created.
    await keepScreenshot(page, 'dashboard-bulk-import');
    await expect(
      page.getByRole('status').filter({ hasText: 'Đã tạo 3 khẩu hiệu và thêm vào danh sách phát' }),
    ).toBeVisible();
    const plan = await controller.admin.request<{
      content: { id: string; text?: string }[];
      playlists: { id: string; items: string[] }[];
    }>('GET', `/api/plans/${fixturePlan.plan.id}`);
    const created = plan.body.content.filter((c) => !['s1', 's2', 's3', 's4'].includes(c.id));
    expect(created.map((c) => c.text)).toEqual([
      'Nhiệt liệt chào mừng Đại hội Đảng bộ tỉnh lần thứ XVII!',
      'Đảng Cộng sản Việt Nam quang vinh muôn năm!',
      'Toàn dân đoàn kết xây dựng biên giới hòa bình, hữu nghị',
    ]);
    // Stored in NFC, whatever the list was typed in.
    for (const c of created) expect(c.text).toBe(c.text?.normalize('NFC'));
    const p2 = plan.body.playlists.find((p) => p.id === 'p2');
    expect(p2?.items).toEqual(['s3', ...created.map((c) => c.id)]);
    expect(errors).toEqual([]);
  });
  test('the audit log is searched on the server: a failed login, older than the first page, is found by outcome, group and words without diacritics', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    controller = await E2eController.start();
    const refused = await new Http(controller.url).request('POST', '/api/auth/login', {
      username: 'Khách Lạ',
      password: 'khong-dung-mat-khau',
    });
    expect(refused.status).toBe(401);
    // Then enough other entries that it is not on the first page of 50.
    for (let n = 1; n <= 55; n += 1) {
      const made = await controller.admin.request('POST', '/api/auth/tokens', {
        name: `Máy trạm ${String(n)}`,
      });
      expect(made.status).toBe(201);
    }
    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${controller.url}/#/audit`);
    const table = page.getByTestId('audit-table');
    const rows = table.locator('tbody tr');
    await page.getByLabel('Số mục mỗi trang').selectOption('50');
    await expect(rows).toHaveCount(50);
    await expect(table.locator('tr[data-action="auth.login_failed"]')).toHaveCount(0);

    await page.getByTestId('audit-outcome').selectOption('refused');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-action', 'auth.login_failed');
    await expect(rows.first()).toContainText('Khách Lạ');
    await expect(page.getByTestId('audit-count')).toHaveText('Trang 1: 1 mục khớp bộ lọc.');
    await expect(page.getByTestId('audit-older')).toBeDisabled();

    await page.getByTestId('audit-outcome').selectOption('');
    await page.getByTestId('audit-domain').selectOption('auth');
    await page.getByTestId('audit-search').fill('khach la');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-action', 'auth.login_failed');
    await keepScreenshot(page, 'dashboard-audit-search');
    await page.getByTestId('audit-search').fill('khach xa');
    await expect(rows).toHaveCount(0);
    await expect(page.getByTestId('audit-count')).toHaveText('Trang 1: 0 mục khớp bộ lọc.');

    // Every token made is in the group of API tokens, newest first, in pages of 50.
    await page.getByTestId('audit-search').fill('');
    await page.getByTestId('audit-domain').selectOption('token');
    await expect(rows).toHaveCount(50);
    await expect(rows.first()).toContainText('Máy trạm 55');
    await page.getByTestId('audit-older').click();
    await expect(rows).toHaveCount(5);
    await expect(rows.last()).toContainText(/Máy trạm 1(?!\d)/);
    expect(await untranslatedStrings(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
