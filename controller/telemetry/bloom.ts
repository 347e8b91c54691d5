/**
 * A fixed-size Bloom filter over strings: "certainly absent" or "maybe present". Used to
 * answer most proof-of-play duplicate checks without touching the disk.
 */
export class BloomFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  /** `log2Bits` bits (a power of two) and `hashes` probes per string. */
  constructor(
    log2Bits: number,
    private readonly hashes: number,
  ) {
    this.bits = new Uint32Array(2 ** Math.max(5, log2Bits) / 32);
    this.mask = 2 ** Math.max(5, log2Bits) - 1;
  }

  /** Bytes held. */
  get byteLength(): number {
    return this.bits.byteLength;
  }

  add(value: string): void {
    const [h1, h2] = hashPair(value);
    for (let i = 0; i < this.hashes; i += 1) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      this.bits[bit >>> 5] = (this.bits[bit >>> 5] ?? 0) | (1 << (bit & 31));
    }
  }

  mightHave(value: string): boolean {
    const [h1, h2] = hashPair(value);
    for (let i = 0; i < this.hashes; i += 1) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      if (((this.bits[bit >>> 5] ?? 0) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** Two independent 32-bit FNV-1a hashes (double hashing gives the k probes). */
function hashPair(value: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ value.length;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // An odd step visits distinct bits for every probe.
  return [a >>> 0, (b | 1) >>> 0];
}
