import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { writeFileDurably } from '../store/durable-write.js';
import type { StoreLogger } from '../store/index.js';
import type { Screenshot, ScreenshotInfo } from './protocol.js';

/** Screenshots are kept at most this wide and high: thumbnails for the board grid. */
export const SCREENSHOT_MAX_PX = 320;
const DATA_URL_PREFIX = 'data:image/png;base64,';
const FILE_PATTERN = /^([A-Za-z0-9._-]{1,64})\.png$/;

/**
 * The latest screenshot of each board, re-encoded as a small PNG (whatever a player sent) in
 * `<data>/monitoring/screenshots/<board>.png`; only their sizes and times stay in memory.
 */
export class ScreenshotStore {
  private readonly infos = new Map<string, ScreenshotInfo>();

  private constructor(
    private readonly dir: string,
    private readonly logger: StoreLogger,
  ) {}

  static async open(dir: string, logger: StoreLogger): Promise<ScreenshotStore> {
    await mkdir(dir, { recursive: true });
    const store = new ScreenshotStore(dir, logger);
    for (const file of await readdir(dir)) {
      const boardId = FILE_PATTERN.exec(file)?.[1];
      if (boardId === undefined) continue;
      try {
        const full = path.join(dir, file);
        const { width, height } = await sharp(full).metadata();
        const { mtimeMs, size } = await stat(full);
        store.infos.set(boardId, {
          takenAt: new Date(mtimeMs).toISOString(),
          width,
          height,
          bytes: size,
        });
      } catch {
        logger.warn({ file }, 'unreadable screenshot removed');
        await rm(path.join(dir, file), { force: true });
      }
    }
    return store;
  }

  info(boardId: string): ScreenshotInfo | null {
    return this.infos.get(boardId) ?? null;
  }

  /** Decodes a player's PNG, shrinks it and keeps it; undefined when it is not a good image. */
  async save(boardId: string, dataUrl: string, atMs: number): Promise<Screenshot | undefined> {
    if (!dataUrl.startsWith(DATA_URL_PREFIX)) return undefined;
    let png: { data: Buffer; info: sharp.OutputInfo };
    try {
      png = await sharp(Buffer.from(dataUrl.slice(DATA_URL_PREFIX.length), 'base64'), {
        failOn: 'truncated',
        limitInputPixels: 8192 * 8192,
      })
        .resize({
          width: SCREENSHOT_MAX_PX,
          height: SCREENSHOT_MAX_PX,
          fit: 'inside',
          withoutEnlargement: true,
        })
        .png({ compressionLevel: 9 })
        .toBuffer({ resolveWithObject: true });
    } catch (error) {
      this.logger.warn({ err: error, boardId }, 'a screenshot that is not a PNG was refused');
      return undefined;
    }
    await writeFileDurably(path.join(this.dir, `${boardId}.png`), png.data);
    const info: ScreenshotInfo = {
      takenAt: new Date(atMs).toISOString(),
      width: png.info.width,
      height: png.info.height,
      bytes: png.data.length,
    };
    this.infos.set(boardId, info);
    return { boardId, ...info, dataUrl: `${DATA_URL_PREFIX}${png.data.toString('base64')}` };
  }

  async read(boardId: string): Promise<Screenshot | undefined> {
    const info = this.infos.get(boardId);
    if (!info) return undefined;
    try {
      const data = await readFile(path.join(this.dir, `${boardId}.png`));
      return { boardId, ...info, dataUrl: `${DATA_URL_PREFIX}${data.toString('base64')}` };
    } catch {
      return undefined;
    }
  }
}
