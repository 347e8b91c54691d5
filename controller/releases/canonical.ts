import { hash } from 'node:crypto';

export { canonicalJson } from '../../playlists/canonical.js';

// crypto.hash is one call without a Hash object: half the time of createHash for the short
// texts a publish hashes once per board (slices, tree nodes).

/** sha256 of UTF-8 text, hex. */
export function sha256OfText(text: string): string {
  return hash('sha256', text, 'hex');
}

/** sha256 of bytes, hex. */
export function sha256OfBytes(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex');
}
