import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { catalog } from '../../controller/dashboard/i18n';
import { screenshotDir } from '../helpers/paths.js';

export const SCREENSHOT_DIR = screenshotDir;

/** Logs in through the login page, in Vietnamese (the default). */
export async function logIn(page: Page, baseUrl: string, username: string, password: string) {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByTestId('user')).toContainText(username);
}

/** Every console error and uncaught exception of a page (failed loads included). */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`http ${response.status()}: ${response.url()}`);
  });
  return errors;
}

// English strings that differ from their Vietnamese version: none may show in the Vietnamese UI.
const englishOnly = (Object.keys(catalog.en) as (keyof typeof catalog.en)[])
  .filter((key) => catalog.en[key] !== catalog.vi[key])
  .map((key) => catalog.en[key])
  // Split templates at their placeholders; keep the pieces long enough to mean something.
  .flatMap((text) => text.split(/\{\w+\}/))
  .map((piece) => piece.trim())
  .filter((piece) => /[A-Za-z]{3,}/.test(piece) && piece.length >= 6);

/**
 * English dashboard strings in what the page shows or says to a screen reader: a text or an
 * attribute that is one of them, or that contains one of several words (a single English word
 * inside Vietnamese data, such as "Banner" in a board's name, is data, not the interface).
 */
export async function untranslatedStrings(page: Page): Promise<string[]> {
  const shown = await page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style')) continue;
      const text = (node.textContent ?? '').trim();
      if (text) texts.push(text);
    }
    for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = el.getAttribute(name)?.trim();
        if (value) texts.push(value);
      }
    }
    return texts;
  });
  const found = englishOnly.filter((piece) =>
    shown.some((text) => text === piece || (piece.includes(' ') && text.includes(piece))),
  );
  return [...new Set(found)];
}

/** A full-page screenshot kept in the docs, after the page has settled. */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
