import express, { type Express } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AssetService } from '../assets/service.js';
import { errorBody } from './errors.js';

interface ViteManifestEntry {
  file: string;
  css?: string[];
  assets?: string[];
  imports?: string[];
  dynamicImports?: string[];
}

/** Every file the player page needs, from Vite's manifest: what the service worker precaches. */
export function playerFiles(webDir: string): string[] {
  const manifestPath = path.join(webDir, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<
    string,
    ViteManifestEntry
  >;
  const files = new Set<string>();
  const visit = (key: string) => {
    const entry = manifest[key];
    if (!entry || files.has(`/${entry.file}`)) return;
    files.add(`/${entry.file}`);
    for (const f of [...(entry.css ?? []), ...(entry.assets ?? [])]) files.add(`/${f}`);
    // pixi.js loads its renderers lazily: offline, those chunks must be cached as well.
    for (const i of [...(entry.imports ?? []), ...(entry.dynamicImports ?? [])]) visit(i);
  };
  visit('player/index.html');
  return [...files].sort();
}

/** The dashboard and player pages, the player's service worker, the built browser files and banner files by hash. */
export function mountWeb(app: Express, deps: { webDir: string; assets: AssetService }): void {
  const { webDir, assets } = deps;
  const page = path.join(webDir, 'player', 'index.html');
  const noStore = { 'cache-control': 'no-cache' };

  const dashboard = path.join(webDir, 'controller', 'dashboard', 'index.html');
  app.get('/', (_req, res) => {
    if (!existsSync(dashboard)) {
      res.status(503).type('text/plain').send('The dashboard is not built yet: run npm run build.');
      return;
    }
    res.set(noStore).sendFile(dashboard, { dotfiles: 'allow' });
  });
  app.get(['/player', '/player/'], (_req, res) => {
    if (!existsSync(page)) {
      res.status(503).type('text/plain').send('The player is not built yet: run npm run build.');
      return;
    }
    res.set(noStore).sendFile(page, { dotfiles: 'allow' });
  });
  app.get('/embed/:board', (_req, res) => {
    if (!existsSync(page)) {
      res.status(503).type('text/plain').send('The player is not built yet: run npm run build.');
      return;
    }
    res.set(noStore).sendFile(page, { dotfiles: 'allow' });
  });
  app.get('/player-sw.js', (_req, res) => {
    res
      .set({ ...noStore, 'content-type': 'text/javascript' })
      .sendFile(path.join(webDir, 'player-sw.js'), { dotfiles: 'allow' });
  });
  const files = playerFiles(webDir);
  app.get('/player/precache.json', (_req, res) => {
    res.set(noStore).json({ files: ['/player', ...files] });
  });
  app.use(
    '/assets',
    express.static(path.join(webDir, 'assets'), { immutable: true, maxAge: '365d', index: false }),
  );
  app.get('/files/sha256/:hash', (req, res) => {
    const found = /^[0-9a-f]{64}$/.test(req.params.hash)
      ? assets.filePath(req.params.hash)
      : undefined;
    if (!found) {
      res.status(404).json(errorBody('not_found', 'no such file'));
      return;
    }
    // Content-addressed: the bytes behind this URL never change.
    res.set({
      etag: `"${req.params.hash}"`,
      'content-type': found.asset.type,
      'x-content-type-options': 'nosniff',
    });
    res.sendFile(found.path, {
      immutable: true,
      maxAge: '365d',
      etag: false,
      lastModified: false,
      // The path is ours (a validated hash under the data directory), which may well lie under a
      // dot-folder such as ~/.local/share: send would otherwise refuse it as a hidden file.
      dotfiles: 'allow',
    });
  });
}
