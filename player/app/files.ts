// The files a bundle names (banners) are addressed by their sha256 (`/files/sha256/<hex>`), and
// the bundle's signature covers those hashes: bytes that do not hash to their address are not
// what was approved. They are never cached nor shown, and a cached copy that does not match
// (kept before this check, or damaged) is dropped and fetched again.
// Used by the page and by the service worker (player/sw.ts), so nothing here needs a window.

const FILE_PATH = /^\/files\/sha256\/([0-9a-f]{64})$/;

/** The URLs whose cached copy this page has checked (or put there itself, checked). */
const checked = new Set<string>();

/** The sha256 a file URL names, or undefined for a URL that is not a file's. */
export function fileHash(url: string, base = 'http://board.invalid'): string | undefined {
  return FILE_PATH.exec(new URL(url, base).pathname)?.[1];
}

export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A response holding `bytes` as the cache keeps them (a status of 200, the type given). */
function stored(bytes: ArrayBuffer, type: string | null): Response {
  return new Response(bytes, {
    status: 200,
    headers: type === null ? {} : { 'content-type': type },
  });
}

/**
 * The bytes of a file, from the cache or else from the controller, checked against the sha256 in
 * its URL; a download that matches is cached. Throws for a download that fails or does not match.
 */
export async function verifiedFile(cache: Cache, url: string, origin?: string): Promise<Response> {
  const expected = fileHash(url, origin);
  if (expected === undefined) throw new Error(`not a file address: ${url}`);
  const hit = await cache.match(url);
  // A copy checked once in this page's life is not read and hashed again (a bundle's install
  // checks every file, then the renderer asks for each banner it draws).
  if (hit && checked.has(url)) return hit;
  if (hit) {
    const bytes = await hit.arrayBuffer();
    if ((await sha256Hex(bytes)) === expected) {
      checked.add(url);
      return stored(bytes, hit.headers.get('content-type'));
    }
    await cache.delete(url);
  }
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`download of ${url} failed: ${String(response.status)}`);
  const bytes = await response.arrayBuffer();
  const actual = await sha256Hex(bytes);
  if (actual !== expected) {
    throw new Error(`download of ${url} does not match its sha256 (got ${actual}): not kept`);
  }
  const type = response.headers.get('content-type');
  await cache.put(url, stored(bytes, type));
  checked.add(url);
  return stored(bytes, type);
}
