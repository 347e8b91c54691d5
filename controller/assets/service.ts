import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { Clock } from '../clock.js';
import { problem } from '../../playlists/index.js';
import { ApiError } from '../http/errors.js';
import { sha256OfBytes } from '../releases/canonical.js';
import { recordImageChange } from '../plans/approval.js';
import type { AppState, Asset } from '../state.js';
import { writeFileDurably } from '../store/durable-write.js';
import type { StateStore } from '../store/index.js';

/** Largest banner file accepted. */
export const MAX_ASSET_BYTES = 20 * 1024 * 1024;
/** Largest banner in pixels: a decoded bitmap bigger than this could exhaust a board PC. */
export const MAX_ASSET_PIXELS = 40_000_000;

type ImageType = Asset['type'];

/** The image type from the file's first bytes, whatever its name or declared type says. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

const SHARP_FORMATS: Record<ImageType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
};

/**
 * A PNG's chunk structure: every chunk inside the file with a correct CRC, up to IEND.
 * libvips forgives a missing end or a bad CRC; a banner that will play for months should not.
 */
export function pngStructureProblem(bytes: Uint8Array): string | undefined {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset + 12 <= view.length) {
    const length = view.readUInt32BE(offset);
    const type = view.toString('latin1', offset + 4, offset + 8);
    if (offset + 12 + length > view.length) return `chunk ${type} runs past the end of the file`;
    const crc = view.readUInt32BE(offset + 8 + length);
    if (crc32(view.subarray(offset + 4, offset + 8 + length)) !== crc)
      return `chunk ${type} has a wrong CRC`;
    offset += 12 + length;
    if (type === 'IEND') return undefined;
  }
  return 'the file ends before its IEND chunk';
}

function damaged(message: string): ApiError {
  return new ApiError('invalid_request', 'the image is damaged or not what it claims', [
    problem('$.body', 'image_damaged', { reason: message }, message),
  ]);
}

/**
 * Decodes the whole image (libvips through sharp), so a truncated, corrupt or lying file is
 * refused here rather than on a board; the pixel count is checked from the header first, so
 * a decompression bomb is refused before anything is decoded.
 */
async function decodeImage(
  bytes: Uint8Array,
  type: ImageType,
): Promise<{ width: number; height: number }> {
  if (type === 'image/png') {
    const problem = pngStructureProblem(bytes);
    if (problem !== undefined) throw damaged(problem);
  }
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { failOn: 'truncated', limitInputPixels: false }).metadata();
  } catch {
    throw damaged('the image header cannot be read');
  }
  const { width, height, format } = meta;
  if (format !== SHARP_FORMATS[type]) {
    throw damaged(`looks like ${type} but decodes as ${format}`);
  }
  if (width < 1 || height < 1) throw damaged('the image has no size');
  if (width * height > MAX_ASSET_PIXELS) {
    throw new ApiError('invalid_request', 'the image is too large', [
      problem(
        '$.body',
        'image_too_large',
        { width, height, maxPixels: MAX_ASSET_PIXELS },
        `${width}×${height} is more than ${MAX_ASSET_PIXELS} pixels`,
      ),
    ]);
  }
  try {
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_ASSET_PIXELS })
      .raw()
      .toBuffer();
  } catch (error) {
    throw damaged(
      `the image data cannot be decoded (${error instanceof Error ? error.message : 'error'})`,
    );
  }
  return { width, height };
}

/** Uploaded banner files, stored once each under the sha256 of their bytes. */
export class AssetService {
  constructor(
    private readonly store: StateStore<AppState>,
    private readonly dir: string,
    private readonly clock: Clock,
  ) {}

  /** The uploaded files, each under the name it answers to now (replaced uploads left out). */
  list(): Asset[] {
    return this.store.read().assets.filter((a) => a.replacedAt === undefined);
  }

  /** Where the bytes of an asset live, if it was uploaded (replaced uploads too: they are kept). */
  filePath(sha256: string): { path: string; asset: Asset } | undefined {
    const asset = this.store.read().assets.find((a) => a.sha256 === sha256);
    return asset ? { path: path.join(this.dir, sha256), asset } : undefined;
  }

  /**
   * Checks and stores an upload under `name`. What had that name before keeps its entry and its
   * file, marked replaced: banners approved with it go on showing it until their new image is
   * approved. New bytes behind a name put every banner using the name up for approval again,
   * authored by the uploader, in the same store update.
   */
  async upload(bytes: Uint8Array, name: string, userId: string): Promise<Asset> {
    const type = sniffImageType(bytes);
    if (!type) {
      throw new ApiError('invalid_request', 'only PNG, JPEG and WebP images are accepted', [
        problem('$.body', 'not_an_image', {}, 'the file is not a PNG, JPEG or WebP image'),
      ]);
    }
    if (bytes.length > MAX_ASSET_BYTES) {
      throw new ApiError('payload_too_large', `a banner may be at most ${MAX_ASSET_BYTES} bytes`);
    }
    const { width, height } = await decodeImage(bytes, type);
    const sha256 = sha256OfBytes(bytes);
    await mkdir(this.dir, { recursive: true });
    await writeFileDurably(path.join(this.dir, sha256), bytes);
    const asset: Asset = {
      sha256,
      name,
      type,
      size: bytes.length,
      width,
      height,
      uploadedAt: new Date(this.clock.now()).toISOString(),
      uploadedBy: userId,
    };
    await this.store.update((state) => {
      const previous = state.assets.find((a) => a.name === name && a.replacedAt === undefined);
      const replaced = previous !== undefined && previous.sha256 !== sha256;
      state.assets = [
        ...state.assets.flatMap((a) => {
          if (a.name !== name) return [a];
          // The same bytes under the same name again: one entry, the new one.
          if (a.sha256 === sha256) return [];
          return a.replacedAt === undefined ? [{ ...a, replacedAt: asset.uploadedAt }] : [a];
        }),
        asset,
      ];
      // A first upload under a name changes what banners already naming it would show, too.
      if (replaced || previous === undefined) {
        recordImageChange(state, name, userId, asset.uploadedAt);
      }
    });
    return asset;
  }
}
