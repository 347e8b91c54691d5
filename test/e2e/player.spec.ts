import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  E2eController,
  expectedAt,
  claimPlayer,
  pairPlayer,
  heldPlays,
  pendingPlayIds,
  playerNow,
  storedPlays,
  storedPlayIds,
  tamperSocket,
  watchForErrors,
} from './support.js';
import { uploadDemoBanners } from '../helpers/demo-banners.js';
import { solidPng } from '../helpers/png.js';

const plan = JSON.parse(readFileSync('test/fixtures/e2e-plan.json', 'utf8')) as {
  content: { id: string; text: string }[];
  playlists: { id: string; items: unknown[] }[];
};

test.describe('board player', () => {
  test.setTimeout(120_000);
  let controller: E2eController;
  test.afterEach(async () => {
    await controller.stop();
  });

  test('pairs, shows what the timeline says, and a publish reaches the screen within a second', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(plan);
    const problems = watchForErrors(page);
    await pairPlayer(page, controller, 'led');

    const now = await controller.serverNow();
    const segments = await controller.timeline('led', now - 60_000, now + 120_000);
    for (let i = 0; i < 5; i += 1) {
      const seen = await playerNow(page);
      expect(seen.nowPlaying).toBe(expectedAt(segments, seen.atMs));
      await page.waitForTimeout(700);
    }

    // Publish a playlist with a slogan the board does not show yet.
    const edit = await controller.admin.request('PUT', '/api/plans/e2e/playlists/p1', {
      name: 'Đợt I',
      items: ['s3'],
    });
    expect(edit.status).toBe(200);
    await controller.approvePending();
    const before = await playerNow(page);
    const started = Date.now();
    expect((await controller.admin.request('POST', '/api/releases', {})).status).toBe(201);
    await expect(page.locator('html')).toHaveAttribute('data-now-playing', 's3', { timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);
    const after = await playerNow(page);
    expect(Number(after.bundle)).toBeGreaterThan(Number(before.bundle));
    // It all ran under the strict Content-Security-Policy (no eval, no inline script).
    const csp = (await page.request.get(`${controller.url}/player`)).headers()[
      'content-security-policy'
    ];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(problems).toEqual([]);
  });

  test('crosses an hours-window edge and a phase edge at the instants the controller timeline gives (page.clock)', async ({
    browser,
  }) => {
    // 21:57 local on the last day of Đợt I. On the LED board the night window (priority 5)
    // opens at 22:00; on the office board Đợt II starts at 00:00.
    controller = await E2eController.start({ clock: '2030-01-10T21:57:00+07:00' });
    await controller.importAndPublish(plan);
    const windowEdge = Date.parse('2030-01-10T22:00:00+07:00');
    const phaseEdge = Date.parse('2030-01-11T00:00:00+07:00');
    const cases = [
      { boardId: 'led', edge: windowEdge, before: ['s1', 's2'], after: 's4' },
      { boardId: 'office', edge: phaseEdge, before: ['s1', 's2'], after: 's3' },
    ];
    const boards = [];
    for (const c of cases) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.clock.install({ time: await controller.serverNow() });
      await pairPlayer(page, controller, c.boardId);
      const segments = await controller.timeline(c.boardId, c.edge - 120_000, c.edge + 120_000);
      boards.push({ ...c, page, context, segments });
    }
    // The controller goes away: from here each board decides alone, by its own clock.
    await controller.kill();

    for (const { page, context, segments, edge, before, after } of boards) {
      const offset = Number(await page.locator('html').getAttribute('data-clock-offset'));
      const nowPlaying = () => page.locator('html').getAttribute('data-now-playing');
      const start = edge - 90_000;
      await page.clock.pauseAt(start - offset);
      let pageMs = start - offset;
      const boundaries = segments.map((s) => Date.parse(s.start)).filter((b) => b > start);
      expect(boundaries).toContain(edge);
      for (const boundary of boundaries) {
        // One millisecond before a boundary the previous segment still plays; at it, the next.
        // (Jumping rather than running keeps pixi from drawing every frame in between.)
        await page.clock.fastForward(boundary - 1 - offset - pageMs);
        expect(await nowPlaying()).toBe(expectedAt(segments, boundary - 1));
        await page.clock.runFor(1);
        pageMs = boundary - offset;
        expect(await nowPlaying()).toBe(expectedAt(segments, boundary));
      }
      expect(before).toContain(expectedAt(segments, edge - 1));
      expect(expectedAt(segments, edge)).toBe(after);
      await context.close();
    }
  });

  test('plays exactly the timeline for three days from cache without the controller; its plays arrive once after', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(plan);
    await page.clock.install({ time: await controller.serverNow() });
    await pairPlayer(page, controller, 'led');
    // The service worker holds the app once it controls the page.
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
        timeout: 20_000,
      })
      .toBe(true);
    const start = await controller.serverNow();
    const end = start + 4 * 86_400_000;
    const segments = await controller.timeline('led', start, end);

    await controller.kill();
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-state', 'playing', {
      timeout: 20_000,
    });
    // It says it is offline from the start (the controller never answered this page).
    await expect(page.locator('html')).toHaveAttribute('data-connected', '0');
    const offset = Number(await page.locator('html').getAttribute('data-clock-offset'));
    const first = await playerNow(page);
    expect(first.nowPlaying).toBe(expectedAt(segments, first.atMs));

    // Jump through three days (nights included), then play two minutes item by item.
    await page.clock.pauseAt(first.atMs - offset + 1_000);
    let atMs = first.atMs + 1_000;
    for (let step = 0; step < 36; step += 1) {
      const jump = 2 * 3_600_000 + 17_000 * step;
      await page.clock.fastForward(jump);
      atMs += jump;
      const seen = await playerNow(page);
      expect(seen.atMs).toBe(atMs);
      expect(seen.nowPlaying, new Date(atMs).toISOString()).toBe(expectedAt(segments, atMs));
    }
    for (let i = 0; i < 12; i += 1) {
      await page.clock.runFor(10_000);
      atMs += 10_000;
      const seen = await playerNow(page);
      expect(seen.nowPlaying).toBe(expectedAt(segments, atMs));
    }
    const offline = await pendingPlayIds(page);
    expect(offline.length).toBeGreaterThan(10);

    // The controller comes back on the same address, three days on as the board (it refuses
    // plays far in its future); the board reconnects by itself.
    await controller.restart(new Date(atMs).toISOString());
    await page.clock.resume();
    await page.clock.fastForward(60_000);
    await expect(page.locator('html')).toHaveAttribute('data-connected', '1', { timeout: 60_000 });
    await expect
      .poll(async () => {
        const res = await controller.admin.request<{ ok: boolean }>('GET', '/api/health');
        return res.status;
      })
      .toBe(200);
    // Every play of the offline days is stored, none twice.
    await expect
      .poll(
        async () => {
          const ids = await storedPlayIds(controller.dataDir);
          return offline.every((id) => ids.includes(id)) && new Set(ids).size === ids.length;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
  });

  test('a revoked player goes back to pairing and forgets its bundle', async ({ page }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(plan);
    await pairPlayer(page, controller, 'office');
    await expect(page.locator('html')).toHaveAttribute('data-now-playing', /^s[12]$/);
    const revoked = await controller.admin.request('POST', '/api/boards/office/revoke', {});
    expect(revoked.status).toBe(200);
    await expect(page.locator('html')).toHaveAttribute(
      'data-pairing-code',
      /^[A-Z2-9]{4}-[A-Z2-9]{4}$/,
      {
        timeout: 10_000,
      },
    );
    const held = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const req = indexedDB.open('bangtin-player');
        req.onsuccess = () => {
          resolve(req.result);
        };
      });
      return new Promise<unknown>((resolve) => {
        const req = db.transaction('kv').objectStore('kv').get('bundle');
        req.onsuccess = () => {
          resolve(req.result);
        };
      });
    });
    expect(held).toBeUndefined();
    expect(await page.evaluate(() => caches.has('bangtin-files-v1'))).toBe(false);
  });

  test('refuses a tampered bundle and keeps showing the last verified content', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(plan);
    let tamper = false;
    // A man in the middle of the board's socket: it rewrites a slogan inside pushed bundles.
    const mitm = await tamperSocket(page, (m) => tamper && m.includes('bundle:update'));
    const tampered = () => mitm.tampered;
    await pairPlayer(page, controller, 'led');
    const html = page.locator('html');
    const versionBefore = await html.getAttribute('data-bundle-version');
    tamper = true;
    const edit = await controller.admin.request('PUT', '/api/plans/e2e/playlists/p1', {
      name: 'Đợt I',
      items: ['s3'],
    });
    expect(edit.status).toBe(200);
    await controller.approvePending();
    expect((await controller.admin.request('POST', '/api/releases', {})).status).toBe(201);
    await expect.poll(tampered).toBeGreaterThan(0);
    // Give the player time to (wrongly) switch; it must not.
    await page.waitForTimeout(1500);
    expect(await html.getAttribute('data-bundle-version')).toBe(versionBefore);
    expect(['s1', 's2']).toContain(await html.getAttribute('data-now-playing'));
    // The player asks again for the bundle it refused (5 s later, ±20 %), and takes the
    // genuine one, without a reload.
    tamper = false;
    await page.evaluate(() => {
      (window as { notReloaded?: boolean }).notReloaded = true;
    });
    await expect(html).toHaveAttribute('data-now-playing', 's3', { timeout: 15_000 });
    expect(await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  test('a new board whose first bundle is refused says so, asks again, and plays the genuine one without a reload', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(plan);
    let tamper = true;
    // Every message that carries the slogan is rewritten: the hello's answer and any push.
    const mitm = await tamperSocket(page, () => tamper);
    const tampered = () => mitm.tampered;
    await claimPlayer(page, controller, 'led');
    const html = page.locator('html');
    await expect.poll(tampered, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect(page.locator('#overlay')).toContainText('không xác thực được');
    await page.evaluate(() => {
      (window as { notReloaded?: boolean }).notReloaded = true;
    });
    // It keeps refusing what is tampered with: nothing shown, still loading.
    await page.waitForTimeout(7_000);
    expect(tampered()).toBeGreaterThan(1);
    await expect(html).toHaveAttribute('data-state', 'loading');
    expect(await html.getAttribute('data-now-playing')).toBeFalsy();
    tamper = false;
    await expect(html).toHaveAttribute('data-state', 'playing', { timeout: 20_000 });
    await expect(html).toHaveAttribute('data-now-playing', /^s[12]$/);
    expect(await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  test('blank every board: black within a second, still black after a reconnect, playing again on undo', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await controller.importAndPublish(plan);
    await pairPlayer(page, controller, 'led');
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-now-playing', /^s[12]$/);

    const started = Date.now();
    const blank = await controller.admin.request('POST', '/api/boards/blank-all', {
      confirm: 'BLANK-ALL',
    });
    expect(blank.status, JSON.stringify(blank.body)).toBe(200);
    await expect(html).toHaveAttribute('data-state', 'blank', { timeout: 1000 });
    await expect(html).toHaveAttribute('data-now-playing', '', { timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);

    // A board that restarts and reconnects stays black.
    await page.reload();
    await expect(html).toHaveAttribute('data-connected', '1', { timeout: 20_000 });
    await expect(html).toHaveAttribute('data-state', 'blank');
    expect(await html.getAttribute('data-now-playing')).toBe('');

    const undoStarted = Date.now();
    const undo = await controller.admin.request('POST', '/api/boards/unblank-all', {
      confirm: 'UNBLANK-ALL',
    });
    expect(undo.status).toBe(200);
    await expect(html).toHaveAttribute('data-state', 'playing', { timeout: 1000 });
    await expect(html).toHaveAttribute('data-now-playing', /^s[12]$/, { timeout: 1000 });
    expect(Date.now() - undoStarted).toBeLessThan(1000);
  });

  test('never shows nor counts banner bytes that do not match their signed sha256; shows the real ones once they come', async ({
    browser,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    await uploadDemoBanners(controller.admin);
    const withBanner = structuredClone(plan) as typeof plan & {
      content: Record<string, unknown>[];
    };
    withBanner.content = withBanner.content.map((c) =>
      c.id === 's1' ? { ...c, durationSec: 3 } : c,
    );
    withBanner.content.push({
      id: 'b1',
      kind: 'banner',
      asset: 'chao-mung-dh-xiii-1200x200.png',
      durationSec: 3,
    });
    const p1 = withBanner.playlists.find((p) => p.id === 'p1');
    if (p1) p1.items = ['s1', 'b1'];
    await controller.importAndPublish(withBanner);
    // No service worker, so the page's own requests meet the substitute: a captive portal, a
    // proxy or anyone on the path answering for the controller.
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const fake = solidPng(1200, 200, [0, 200, 0]);
    await context.route('**/files/sha256/**', (route) =>
      route.fulfill({ status: 200, contentType: 'image/png', body: fake }),
    );
    const page = await context.newPage();
    try {
      await pairPlayer(page, controller, 'led');
      const seen = new Set<string>();
      for (let i = 0; i < 40; i += 1) {
        seen.add((await playerNow(page)).nowPlaying);
        await page.waitForTimeout(200);
      }
      expect([...seen]).toEqual(['s1']);
      // The controller answers again: the banner is fetched anew and shown.
      const unroutedAtMs = (await playerNow(page)).atMs;
      await context.unroute('**/files/sha256/**');
      await expect(page.locator('html')).toHaveAttribute('data-now-playing', 'b1', {
        timeout: 15_000,
      });
      // No play of the banner was counted while it was not on the board (the slogan's were).
      const plays = async () => [
        ...(await heldPlays(page)),
        ...(await storedPlays(controller.dataDir)),
      ];
      await expect.poll(async () => (await plays()).some((p) => p.contentId === 's1')).toBe(true);
      const banner = (await plays()).filter((p) => p.contentId === 'b1').map((p) => p.startMs);
      expect(banner.filter((startMs) => startMs < unroutedAtMs)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('slogan text with HTML or script is drawn as text and never runs', async ({ page }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    const hostile = structuredClone(plan) as typeof plan & {
      content: { id: string; text: string }[];
      playlists: { id: string; items: unknown[] }[];
    };
    const s1 = hostile.content.find((c) => c.id === 's1');
    if (!s1) throw new Error('fixture changed');
    s1.text =
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> ĐẢNG QUANG VINH';
    const p1 = hostile.playlists.find((p) => p.id === 'p1');
    if (p1) p1.items = ['s1'];
    await controller.importAndPublish(hostile);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    const problems = watchForErrors(page);
    await pairPlayer(page, controller, 'led');
    await expect(page.locator('html')).toHaveAttribute('data-now-playing', 's1');
    await page.waitForTimeout(500);
    const pwned = await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned ?? null);
    expect(pwned).toBeNull();
    expect(await page.locator('img, script:not([src])').count()).toBe(0);
    expect(dialogs).toBe(0);
    expect(problems).toEqual([]);
  });
  test('identify shows a long board id whole at 384×128 and 768×256; a pairing code keeps its size', async ({
    page,
  }) => {
    controller = await E2eController.start({ clock: '2030-01-05T10:00:00+07:00' });
    const boardId = 'cua-khau-quoc-te-bo-y-tinh-kon-tum-so-01';
    expect(boardId).toHaveLength(40);
    const doc = JSON.parse(readFileSync('test/fixtures/e2e-plan.json', 'utf8')) as {
      boards: unknown[];
    };
    doc.boards.push({ id: boardId, name: 'Cửa khẩu quốc tế Bờ Y', width: 384, height: 128 });
    await controller.importAndPublish(doc);
    const problems = watchForErrors(page);
    await page.setViewportSize({ width: 384, height: 128 });
    const code = page.locator('#overlay-code');
    const fontPx = () => code.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    const cut = () =>
      code.evaluate((el) => {
        const box = el.parentElement as HTMLElement;
        return {
          width: el.scrollWidth - el.clientWidth,
          height: box.scrollHeight - box.clientHeight,
          right: el.getBoundingClientRect().right - window.innerWidth,
        };
      });
    await page.goto(`${controller.url}/player`);
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-pairing-code', /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await page.evaluate(() => document.fonts.ready);
    // As large as before: min(36vh, 15vw) at 384×128.
    expect(await fontPx()).toBeCloseTo(Math.min(0.36 * 128, 0.15 * 384), 1);
    expect((await cut()).width).toBe(0);
    const pairing = (await html.getAttribute('data-pairing-code')) ?? '';
    const claim = await controller.admin.request('POST', '/api/pairings/claim', {
      code: pairing.toLowerCase(),
      boardId,
    });
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);
    await expect(html).toHaveAttribute('data-state', 'playing', { timeout: 20_000 });

    const identify = await controller.admin.request('POST', `/api/boards/${boardId}/commands`, {
      type: 'identify',
    });
    expect(identify.status, JSON.stringify(identify.body)).toBe(200);
    await expect(code).toBeVisible();
    await expect(code).toHaveText(boardId);
    for (const size of [
      { width: 384, height: 128 },
      { width: 768, height: 256 },
    ]) {
      await page.setViewportSize(size);
      // Nothing cut: no line wider than the element, the element inside the window, the
      // overlay no taller than the window.
      await expect
        .poll(async () => {
          const c = await cut();
          return c.width <= 0 && c.height <= 0 && c.right <= 0;
        })
        .toBe(true);
      // Not shrunk to nothing: wrapped after its hyphens, it stays readable.
      expect(await fontPx()).toBeGreaterThanOrEqual(size.height / 10);
      await page.screenshot({
        path: `.tmp/screenshots/player-identify-${size.width}x${size.height}.png`,
      });
    }
    expect(problems).toEqual([]);
  });
});
