/// <reference lib="webworker" />
// The player's service worker: the app shell and banner files are served from cache when the
// controller cannot be reached, so a board restarted without network still plays.
export {};
declare const self: ServiceWorkerGlobalScope;

const SHELL_CACHE = 'bangtin-shell-v1';
const FILES_CACHE = 'bangtin-files-v1';

async function precache(): Promise<void> {
  const response = await fetch('/player/precache.json', { cache: 'no-store' });
  const { files } = (await response.json()) as { files: string[] };
  const cache = await caches.open(SHELL_CACHE);
  await cache.addAll(files.map((f) => new Request(f, { cache: 'reload' })));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

/** The page itself: the network first (a new build), the cached copy when it is unreachable. */
async function page(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put('/player', response.clone());
    return response;
  } catch {
    return (await cache.match('/player')) ?? Response.error();
  }
}

/** Built files and banners never change behind their URL: the cache first. */
async function immutable(request: Request, cacheName: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.status === 200) await cache.put(request, response.clone());
  return response;
}

/**
 * A banner, cache first; a download is kept (and given) only if its bytes hash to the sha256 its
 * URL names, which the signed bundle covers. The page checks cached copies again (app/files.ts,
 * not imported here: a service worker is one classic script).
 */
async function file(request: Request): Promise<Response> {
  const cache = await caches.open(FILES_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (!(response.ok && response.status === 200)) return response;
  const bytes = await response.arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  if (!new URL(request.url).pathname.endsWith(`/${hex}`)) {
    return new Response('the file does not match its sha256', { status: 502 });
  }
  const kept = new Response(bytes, { status: 200, headers: response.headers });
  await cache.put(request, kept.clone());
  return kept;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && (url.pathname === '/player' || url.pathname === '/player/')) {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(immutable(request, SHELL_CACHE));
  } else if (url.pathname.startsWith('/files/sha256/') && !request.headers.has('range')) {
    event.respondWith(file(request));
  }
});
