import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Http } from './http.js';
import { repoRoot } from './paths.js';

/** The banner files the demo plans name, as the first start uploads them. */
export const DEMO_BANNERS_DIR = path.join(repoRoot, 'assets', 'demo', 'banners');

export async function demoBanners(): Promise<{ name: string; bytes: Buffer }[]> {
  const names = (await readdir(DEMO_BANNERS_DIR)).filter((f) => f.endsWith('.png')).sort();
  return Promise.all(
    names.map(async (name) => ({ name, bytes: await readFile(path.join(DEMO_BANNERS_DIR, name)) })),
  );
}

/** Uploads the demo banners through the API, so a test can publish a demo plan it imported. */
export async function uploadDemoBanners(http: Http): Promise<void> {
  for (const { name, bytes } of await demoBanners()) {
    const headers: Record<string, string> = { 'content-type': 'image/png' };
    if (http.bearer !== undefined) headers.authorization = `Bearer ${http.bearer}`;
    else headers.cookie = http.cookieHeader();
    if (http.csrfToken !== undefined) headers['x-csrf-token'] = http.csrfToken;
    const res = await fetch(new URL(`/api/assets?name=${encodeURIComponent(name)}`, http.baseUrl), {
      method: 'POST',
      headers,
      body: new Uint8Array(bytes),
    });
    if (res.status !== 201) throw new Error(`uploading ${name}: ${res.status} ${await res.text()}`);
  }
}
