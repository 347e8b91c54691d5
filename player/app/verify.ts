import { canonicalJson } from '../../playlists/canonical.js';
import type { Bundle } from '../../playlists/protocol.js';

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** True when the bundle carries a valid Ed25519 signature by the controller's release key. */
export async function verifyBundle(bundle: Bundle, publicKey: string): Promise<boolean> {
  const { signature, ...unsigned } = bundle;
  try {
    const key = await crypto.subtle.importKey(
      'jwk',
      { kty: 'OKP', crv: 'Ed25519', x: publicKey },
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
    return await crypto.subtle.verify(
      { name: 'Ed25519' },
      key,
      fromBase64Url(signature.value),
      new TextEncoder().encode(canonicalJson(unsigned)),
    );
  } catch {
    return false;
  }
}
