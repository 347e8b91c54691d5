import { canonicalJson } from '../../playlists/canonical.js';
import type { Bundle } from '../../playlists/protocol.js';
import {
  bundleLeafText,
  LEAF_PREFIX,
  NODE_PREFIX,
  proofSides,
  releaseRootText,
} from '../../playlists/release-proof.js';

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256(...parts: Uint8Array[]): Promise<ArrayBuffer> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return crypto.subtle.digest('SHA-256', all);
}

const utf8 = (text: string) => new TextEncoder().encode(text);

async function ed25519Verify(publicKey: string, signature: string, text: string): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    'jwk',
    { kty: 'OKP', crv: 'Ed25519', x: publicKey },
    { name: 'Ed25519' },
    false,
    ['verify'],
  );
  return crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64Url(signature), utf8(text));
}

/**
 * The root text a release-signed bundle claims: its leaf (which binds the slice through the
 * slice's hash, recomputed here) walked up its proof. Undefined when the bundle is not
 * consistent with itself.
 */
async function claimedRootText(bundle: Bundle): Promise<string | undefined> {
  const { signature } = bundle;
  if (signature.alg !== 'Ed25519-merkle') return undefined;
  const [onlyBoard, ...others] = bundle.plan.boards;
  if (!onlyBoard || others.length > 0) return undefined;
  if (
    bundle.boardId !== bundle.board.id ||
    canonicalJson(onlyBoard) !== canonicalJson(bundle.board)
  )
    return undefined;
  const slice = toHex(
    await sha256(utf8(canonicalJson({ plan: bundle.plan, assets: bundle.assets }))),
  );
  if (slice !== bundle.hash) return undefined;
  const sides = proofSides(signature.index, signature.size);
  if (sides.length !== signature.proof.length) return undefined;
  let node = await sha256(Uint8Array.of(LEAF_PREFIX), utf8(bundleLeafText(bundle)));
  for (const [i, side] of sides.entries()) {
    const sibling = fromHex(signature.proof[i] ?? '');
    const here = new Uint8Array(node);
    node =
      side === 'left'
        ? await sha256(Uint8Array.of(NODE_PREFIX), sibling, here)
        : await sha256(Uint8Array.of(NODE_PREFIX), here, sibling);
  }
  return releaseRootText(bundle.releaseVersion, signature.size, toHex(node));
}

/**
 * True when the controller's release key vouches for the bundle: its release's signed root
 * (`Ed25519-merkle`), or, for bundles cached before release roots, an Ed25519 signature over
 * the bundle itself.
 */
export async function verifyBundle(bundle: Bundle, publicKey: string): Promise<boolean> {
  const { signature, ...unsigned } = bundle;
  try {
    if (signature.alg === 'Ed25519') {
      return await ed25519Verify(publicKey, signature.value, canonicalJson(unsigned));
    }
    const text = await claimedRootText(bundle);
    return text !== undefined && (await ed25519Verify(publicKey, signature.value, text));
  } catch {
    return false;
  }
}
