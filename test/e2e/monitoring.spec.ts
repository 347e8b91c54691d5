import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { PlayReport } from '../../controller/monitoring/reports.js';
import type { Ack, PlayBatchReply, PlayRecord } from '../../playlists/index.js';
import { repoRoot } from '../helpers/paths.js';
import { pairBoard, playerSocket } from '../helpers/sim-board.js';
import {
  SCREENSHOT_DIR,
  collectConsoleErrors,
  keepScreenshot,
  logIn,
  untranslatedStrings,
} from './dashboard-support.js';
import { ADMIN_PASSWORD, E2eController, pairPlayer } from './support.js';

const fixturePlan = JSON.parse(
  readFileSync(path.join(repoRoot, 'test/fixtures/e2e-plan.json'), 'utf8'),
) as { plan: { id: string } };

// The fixture plays a 10 s and a 20 s slogan by day: the player reports each item change, so
// it is heard from at least every 20 s; 40 s (the shortest threshold allowed) keeps it online.
const OFFLINE_AFTER_S = 40;
const MARGIN_MS = 5_000;
const OK_COLOUR = 'rgb(29, 122, 53)';
const BAD_COLOUR = 'rgb(179, 20, 27)';

test.describe('monitoring and reports in the dashboard', () => {
  let controller: E2eController | undefined;

  test.afterEach(async () => {
    await controller?.stop();
    controller = undefined;
  });

  test('a board that goes offline turns red in the grid within the threshold, live, without a reload', async ({
    browser,
    page,
  }) => {
    test.setTimeout(150_000);
    controller = await E2eController.start({
      clock: '2030-01-05T10:00:00+07:00',
      env: { BANGTIN_OFFLINE_AFTER_S: String(OFFLINE_AFTER_S) },
    });
    await controller.importAndPublish(fixturePlan);
    const boardContext = await browser.newContext({ viewport: { width: 384, height: 128 } });
    const board = await boardContext.newPage();
    await pairPlayer(board, controller, 'led');

    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Bảng điện tử' }).click();
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-live', 'true');
    const card = page.locator('[data-testid=board-card][data-board=led]');
    await expect(card).toHaveAttribute('data-online', 'true');
    await expect(card).toHaveCSS('border-left-color', OK_COLOUR);
    await expect(card.getByTestId('board-online')).toHaveText('Trực tuyến');
    await expect(card.getByTestId('board-bundle')).toHaveAttribute('data-bundle-version', '1');
    await expect(card.getByTestId('board-now-playing')).toHaveAttribute(
      'data-now-playing',
      /^s[12]$/,
    );
    // The other board was never paired: grey, not red.
    await expect(page.locator('[data-board=office][data-testid=board-card]')).toHaveAttribute(
      'data-online',
      'false',
    );

    // A technician's "take now" fetches a low-resolution screenshot from the board.
    await card.getByTestId('take-screenshot').click();
    await expect(card.getByTestId('board-thumbnail').locator('img')).toBeVisible({
      timeout: 20_000,
    });

    // The same page stays open: a marker set now would be lost by a reload.
    await page.evaluate(() => {
      document.body.dataset.sameDocument = 'yes';
    });
    const closedAt = Date.now();
    await boardContext.close();
    // Its connection is gone at once: within the threshold it waits to reconnect, amber.
    const badge = card.getByTestId('board-online');
    await expect(badge).toHaveText('Chờ kết nối lại', { timeout: 5_000 });
    await expect(badge).toHaveAttribute('data-connected', 'false');
    await expect(badge).toHaveClass(/badge-pending/);
    expect(Date.now() - closedAt).toBeLessThan(OFFLINE_AFTER_S * 1000);
    await expect(card).toHaveAttribute('data-online', 'false', {
      timeout: OFFLINE_AFTER_S * 1000 + MARGIN_MS,
    });
    expect(Date.now() - closedAt).toBeLessThanOrEqual(OFFLINE_AFTER_S * 1000 + MARGIN_MS);
    await expect(card).toHaveCSS('border-left-color', BAD_COLOUR);
    await expect(card.getByTestId('board-online')).toHaveText('Mất kết nối');
    await expect(page.getByTestId('board-summary')).toContainText('0/2');
    await expect(page.locator('body')).toHaveAttribute('data-same-document', 'yes');

    // The monitoring page counts it offline and lists the alert with its board.
    await page.getByRole('navigation').getByRole('link', { name: 'Giám sát' }).click();
    const offline = page.locator('[data-testid=monitor-count][data-kind=offline]');
    await expect(offline).toHaveAttribute('data-count', '1');
    await expect(page.locator('[data-testid=monitor-count][data-kind=online]')).toHaveAttribute(
      'data-count',
      '0',
    );
    const row = page
      .getByTestId('monitor-alerts')
      .locator('tr[data-alert=offline][data-board=led]');
    await expect(row).toContainText('Cửa khẩu quốc tế Bờ Y');
    await expect(page.getByTestId('monitor-history').locator('tr[data-alert=offline]')).toHaveCount(
      1,
    );
    await expect(page.getByTestId('monitor-settings')).toContainText(`${OFFLINE_AFTER_S} giây`);
    expect(await untranslatedStrings(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('the report page shows the figures of GET /api/reports/plays, exports CSV and prints an A4 report', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(fixturePlan);

    // A board played four plays in five of what its timeline scheduled, from the 4th (local)
    // to 09:30 on the 5th; the other board played nothing.
    const fromMs = Date.parse('2030-01-04T00:00:00+07:00');
    const toMs = Date.parse('2030-01-05T09:30:00+07:00');
    const segments = await controller.timeline('led', fromMs, toMs);
    const records: PlayRecord[] = segments
      .filter((s, i) => s.kind === 'item' && i % 5 !== 4)
      .map((s, i) => ({
        id: `e2e-play-${String(i).padStart(6, '0')}`,
        boardId: 'led',
        kind: 'item',
        contentId: s.content ?? '',
        startMs: Date.parse(s.start),
        endMs: Date.parse(s.end),
        releaseVersion: 1,
      }));
    expect(records.length).toBeGreaterThan(1000);
    const paired = await pairBoard(controller.url, controller.admin, 'led');
    const socket = await playerSocket(controller.url, paired.token);
    for (let i = 0; i < records.length; i += 500) {
      const batch = records.slice(i, i + 500);
      const reply = (await socket.emitWithAck('pop:batch', {
        records: batch,
      })) as Ack<PlayBatchReply>;
      expect(reply.ok).toBe(true);
    }
    socket.disconnect();

    const errors = collectConsoleErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, controller.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Báo cáo' }).click();
    const filters = page.getByTestId('report-filters');
    // A phase sets the dates to its own; two days typed by hand then stand for themselves (the
    // phase is dropped: the address names no phase whose dates it does not have).
    await filters.getByLabel('Đợt').selectOption('dot-1');
    await expect(filters.getByLabel('Từ ngày')).toHaveValue('2030-01-01');
    await expect(filters.getByLabel('Đến ngày')).toHaveValue('2030-01-10');
    await filters.getByLabel('Từ ngày').fill('2030-01-04');
    await filters.getByLabel('Đến ngày').fill('2030-01-05');
    await expect(filters.getByLabel('Đợt')).toHaveValue('');
    await filters.getByRole('button', { name: 'Lập báo cáo' }).click();
    await expect(page).toHaveURL(/#\/reports\?.*from=2030-01-04&to=2030-01-05/);
    expect(page.url()).not.toMatch(/phase=/);

    const query = `planId=${fixturePlan.plan.id}&from=2030-01-04&to=2030-01-05`;
    const answer = await controller.admin.request<PlayReport>('GET', `/api/reports/plays?${query}`);
    expect(answer.status).toBe(200);
    const report = answer.body;
    expect(report.totals.plays).toBe(records.length);
    expect(report.totals.share).toBeGreaterThan(0);

    const result = page.getByTestId('report-result');
    await expect(result.getByRole('heading', { level: 2 })).toHaveText(
      'Kết quả từ 04/01/2030 đến 05/01/2030',
    );
    const total = (figure: string) =>
      result.getByTestId('report-summary').locator(`[data-figure=${figure}]`);
    for (const figure of ['plays', 'onAirMs', 'scheduledMs', 'shownScheduledMs'] as const) {
      await expect(total(figure)).toHaveAttribute('data-value', String(report.totals[figure]));
    }
    await expect(total('share')).toHaveAttribute('data-value', String(report.totals.share));
    await expect(total('plays')).toContainText(
      new Intl.NumberFormat('vi').format(report.totals.plays),
    );
    await expect(total('share')).toContainText(
      new Intl.NumberFormat('vi', { style: 'percent', maximumFractionDigits: 1 }).format(
        report.totals.share ?? 0,
      ),
    );
    // Per board, per content and per day, the same figures as the API.
    const boards = page.getByTestId('report-boards');
    for (const b of report.boards) {
      const group = boards.locator(`tbody[data-board="${b.boardId}"]`);
      const head = group.locator('tr[data-row=board]');
      await expect(head).toContainText(b.name);
      await expect(head.locator('[data-figure=plays]')).toHaveAttribute(
        'data-value',
        String(b.plays),
      );
      await expect(head.locator('[data-figure=onAirMs]')).toHaveAttribute(
        'data-value',
        String(b.onAirMs),
      );
      await expect(head.locator('[data-figure=scheduledMs]')).toHaveAttribute(
        'data-value',
        String(b.scheduledMs),
      );
      for (const c of b.contents) {
        const line = group.locator(`tr[data-content="${c.contentId}"]`);
        await expect(line.locator('[data-figure=plays]')).toHaveAttribute(
          'data-value',
          String(c.plays),
        );
        await expect(line.locator('[data-figure=shownScheduledMs]')).toHaveAttribute(
          'data-value',
          String(c.shownScheduledMs),
        );
      }
    }
    const days = page.getByTestId('report-days');
    for (const d of report.days) {
      const line = days.locator(`tr[data-day="${d.date}"]`);
      await expect(line.locator('[data-figure=plays]')).toHaveAttribute(
        'data-value',
        String(d.plays),
      );
      await expect(line.locator('[data-figure=onAirMs]')).toHaveAttribute(
        'data-value',
        String(d.onAirMs),
      );
    }
    await expect(result.getByTestId('report-chart').locator('.chart-group')).toHaveCount(
      report.days.length,
    );

    // The CSV link carries the same filters, and the controller answers it.
    const csv = page.getByTestId('report-csv');
    await expect(csv).toHaveAttribute('href', `/api/reports/plays.csv?${query}`);
    const download = await page.request.get(`${controller.url}/api/reports/plays.csv?${query}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toContain('text/csv');

    expect(await untranslatedStrings(page)).toEqual([]);
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    await keepScreenshot(page, 'dashboard-reports');

    // "In báo cáo" opens the browser's print dialog.
    await page.evaluate(() => {
      window.print = () => {
        document.body.dataset.printed = 'yes';
      };
    });
    await page.getByRole('button', { name: 'In báo cáo' }).click();
    await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes');

    // Printed: only the A4 document, in Vietnamese, with the plan, the period, the figures, the
    // chart, the tables and the signature block.
    await page.emulateMedia({ media: 'print' });
    const doc = page.getByTestId('report-print-doc');
    await expect(doc).toBeVisible();
    await expect(page.locator('.report-screen')).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeHidden();
    await expect(doc.locator('.doc-title')).toHaveText(
      'BÁO CÁO KẾT QUẢ PHÁT NỘI DUNG TUYÊN TRUYỀN TRÊN BẢNG ĐIỆN TỬ',
    );
    await expect(doc).toContainText('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    await expect(doc).toContainText('Kế hoạch kiểm thử');
    await expect(doc).toContainText('(Từ ngày 04/01/2030 đến ngày 05/01/2030)');
    await expect(doc.locator('[data-figure=plays]').first()).toHaveAttribute(
      'data-value',
      String(report.totals.plays),
    );
    await expect(doc.locator('.report-chart')).toBeVisible();
    await expect(doc.locator('.doc-signer')).toContainText('(Ký, ghi rõ họ tên)');
    // Set in the bundled Tinos, never a system serif; its Vietnamese faces are loaded.
    expect(await doc.evaluate((el) => getComputedStyle(el).fontFamily)).toBe('Tinos, serif');
    expect(
      await page.evaluate(async () => {
        await document.fonts.ready;
        return [...document.fonts]
          .filter((f) => f.family.replace(/"/g, '') === 'Tinos' && f.status === 'loaded')
          .map((f) => `${f.weight} ${f.style}`);
      }),
    ).toContain('400 normal');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'report-print.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
