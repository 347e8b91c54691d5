/**
 * UTF-8 encoding of text into memory kept from use to use, for the durable writes of large
 * documents (the state, release files). A fresh buffer costs a page fault for each 4 KB the
 * first time it is filled: 20 ms for a 10,000-board release file of 1.7 MB on a 2-vCPU VM,
 * against 1.3 ms to encode the same text into memory already touched. Text comes as pieces,
 * each encoded on its own: V8 encodes a concatenated string (a rope) about 20 times slower
 * than a flat one.
 */
export class Utf8Scratch {
  #bytes: Buffer = Buffer.alloc(0);
  #busy = false;

  /**
   * The UTF-8 of `parts.join('')`. In the kept memory unless a previous result is still in
   * use (then in memory of its own); `release()` says the bytes are no longer needed.
   */
  encode(parts: readonly string[]): { bytes: Buffer; release: () => void } {
    if (this.#busy) {
      // Exactly the bytes needed: written without the check for room.
      const bytes = Buffer.allocUnsafe(byteLength(parts));
      let offset = 0;
      for (const part of parts) offset += bytes.write(part, offset, 'utf8');
      return { bytes, release: () => undefined };
    }
    // One pass in the usual case: the bytes are counted only when the memory may be too small.
    let length = writeParts(this.#bytes, parts);
    if (length < 0) {
      this.#bytes = Buffer.allocUnsafeSlow(Math.ceil(byteLength(parts) * 1.25) + 8);
      length = writeParts(this.#bytes, parts);
    }
    this.#busy = true;
    let released = false;
    return {
      bytes: this.#bytes.subarray(0, length),
      release: () => {
        if (released) return;
        released = true;
        this.#busy = false;
      },
    };
  }

  /** Bytes kept (for tests). */
  get capacity(): number {
    return this.#bytes.length;
  }
}

function byteLength(parts: readonly string[]): number {
  let length = 0;
  for (const part of parts) length += Buffer.byteLength(part, 'utf8');
  return length;
}

/**
 * Writes the UTF-8 of the parts at the start of `target`: the number of bytes, or -1 when they
 * may not all have fitted. `write` stops before a character that does not fit, so more than 4
 * bytes left over after a part (the longest UTF-8 character) prove that nothing was cut.
 */
function writeParts(target: Buffer, parts: readonly string[]): number {
  let offset = 0;
  for (const part of parts) {
    if (target.length - offset <= 4) return -1;
    offset += target.write(part, offset, 'utf8');
  }
  return target.length - offset <= 4 ? -1 : offset;
}
