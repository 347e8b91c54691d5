import { createHash } from 'node:crypto';

export { canonicalJson } from '../../playlists/canonical.js';

/** sha256 of UTF-8 text, hex. */
export function sha256OfText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 of bytes, hex. */
export function sha256OfBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
