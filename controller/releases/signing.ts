import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileDurably } from '../store/durable-write.js';

const PRIVATE_FILE = 'release-signing-key.pem';

/**
 * The controller's Ed25519 release key, made on first start. The private key file is
 * readable by the service's user only; players get the public key when they pair.
 */
export class ReleaseSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    /** The raw public key, base64url (the `x` of its JWK): what players verify with. */
    readonly publicKey: string,
  ) {}

  static async open(dir: string): Promise<ReleaseSigner> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, PRIVATE_FILE);
    let pem: string;
    try {
      pem = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const { privateKey } = generateKeyPairSync('ed25519');
      pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await writeFileDurably(file, pem);
    }
    const privateKey = createPrivateKey(pem);
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    if (typeof jwk.x !== 'string') throw new Error('the release key is not an Ed25519 key');
    return new ReleaseSigner(privateKey, jwk.x);
  }

  /** The Ed25519 signature of UTF-8 text, base64url: a release's root text (release-tree.ts). */
  signText(text: string): string {
    return sign(null, Buffer.from(text, 'utf8'), this.privateKey).toString('base64url');
  }
}
