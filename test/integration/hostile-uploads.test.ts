import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { acceptedUploads, hostileUploads, type UploadCase } from '../helpers/hostile-files.js';
import { errorBodyOf, sendRaw, stateBytes, type RawResponse } from '../helpers/hostile.js';

interface StoredAsset {
  sha256: string;
  name: string;
  type: string;
  size: number;
  width: number;
  height: number;
}

const hostile = hostileUploads();
const accepted = acceptedUploads();

describe('hostile uploads to POST /api/assets', () => {
  let t: TestController;
  let editor: Http;

  async function upload(c: UploadCase): Promise<RawResponse> {
    const query =
      c.name === undefined
        ? ''
        : `?name=${c.rawName === true ? c.name : encodeURIComponent(c.name)}`;
    return sendRaw(t.url, {
      method: 'POST',
      path: `/api/assets${query}`,
      headers: {
        cookie: editor.cookieHeader(),
        'x-csrf-token': editor.csrfToken ?? '',
        ...(c.contentType === '' ? {} : { 'content-type': c.contentType }),
        ...c.headers,
      },
      body: c.bytes,
    });
  }

  /** What an upload may change: the asset list, the files on disk, the state document. */
  async function snapshot() {
    const list = await editor.request<StoredAsset[]>('GET', '/api/assets');
    let files: string[] = [];
    try {
      files = (await readdir(path.join(t.dataDir, 'assets'))).sort();
    } catch {
      // No upload yet.
    }
    return { list: list.body, files, state: await stateBytes(t.dataDir) };
  }

  beforeAll(async () => {
    t = await startTestController();
    const admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    const password = 'editor-password-1';
    await admin.request('POST', '/api/users', { username: 'editor', password, role: 'editor' });
    editor = await Http.login(t.url, 'editor', password);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('has at least 50 distinct hostile files, each with its expectation', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(50);
    const labels = hostile.map((c) => c.label);
    expect(new Set(labels).size).toBe(labels.length);
    const requests = hostile.map((c) =>
      [
        createHash('sha256').update(c.bytes).digest('hex'),
        c.contentType,
        c.name ?? '(no name)',
        JSON.stringify(c.headers ?? {}),
      ].join('|'),
    );
    expect(new Set(requests).size).toBe(requests.length);
  });

  for (const c of hostile) {
    it(`refuses ${c.label}, and stores nothing`, async () => {
      const before = await snapshot();
      const res = await upload(c);
      expect(res.status, res.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      if (c.expect.outcome === 'refused' && c.expect.status !== undefined) {
        expect(res.status).toBe(c.expect.status);
      }
      errorBodyOf(res);
      expect(await snapshot()).toEqual(before);
    });
  }

  for (const c of accepted) {
    const type = c.expect.outcome === 'accepted' ? c.expect.type : '';
    it(`accepts ${c.label}: stored under its sha256, served as ${type} with nosniff`, async () => {
      const res = await upload(c);
      expect(res.status, res.text).toBe(201);
      const asset = JSON.parse(res.text) as StoredAsset;
      const sha256 = createHash('sha256').update(c.bytes).digest('hex');
      expect(asset).toMatchObject({ sha256, name: c.name, type, size: c.bytes.length });
      expect((await readdir(path.join(t.dataDir, 'assets'))).includes(sha256)).toBe(true);
      const served = await fetch(`${t.url}/files/sha256/${sha256}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe(type);
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await served.arrayBuffer()).equals(c.bytes)).toBe(true);
    });
  }

  it('keeps files only under content hashes: no client-chosen name reaches the disk', async () => {
    const { files, list } = await snapshot();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^[0-9a-f]{64}$/);
    for (const asset of list) expect(files).toContain(asset.sha256);
  });
});
