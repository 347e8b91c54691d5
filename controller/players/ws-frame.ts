import type { TextPart } from '../releases/text-parts.js';

/**
 * A final, unmasked WebSocket text frame (RFC 6455 §5.2) whose payload is the UTF-8 of
 * `parts.join('')`: header and payload in one buffer, so a socket writes it in one call.
 *
 * A push builds one per board and writes it to the board's WebSocket as it is: straight to
 * ws's sender, as engine.io does with a pre-encoded frame (the option socket.io's own
 * broadcasts use), or through engine.io with that option when it has messages waiting.
 * Through the usual path `ws` would encode the text again for every connection, from a string
 * the concatenations had turned into a rope (V8 encodes those several times slower than flat
 * strings); here each part is flat and encoded once, straight into the frame.
 */
export function wsTextFrame(parts: readonly TextPart[]): Buffer {
  const length = payloadLength(parts);
  const frame = Buffer.allocUnsafe(frameLength(length));
  writeTextFrame(frame, parts, length);
  return frame;
}

function partLength(part: TextPart): number {
  return typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.byteLength;
}

function payloadLength(parts: readonly TextPart[]): number {
  let length = 0;
  for (const part of parts) length += partLength(part);
  return length;
}

function headerLength(payload: number): number {
  return payload < 126 ? 2 : payload < 65_536 ? 4 : 10;
}

function frameLength(payload: number): number {
  return headerLength(payload) + payload;
}

/** Writes the frame of `parts` (whose UTF-8 is `payload` bytes) at the start of `frame`. */
function writeTextFrame(frame: Buffer, parts: readonly TextPart[], payload: number): void {
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (payload < 126) {
    frame[1] = payload;
  } else if (payload < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(payload, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(payload), 2);
  }
  let offset = headerLength(payload);
  for (const part of parts) {
    if (typeof part === 'string') {
      offset += frame.write(part, offset, 'utf8');
    } else if (part instanceof Uint8Array) {
      frame.set(part, offset);
      offset += part.byteLength;
    } else {
      part.writeTo(frame, offset);
      offset += part.byteLength;
    }
  }
}

/** A frame in arena memory, and the count of those still to write it. */
export interface FrameLease {
  readonly frame: Buffer;
  /** One more write of the frame in flight; it calls `release` once done. */
  readonly retain: () => void;
  /** One holder done with the frame (the builder, or a write whose callback came). */
  readonly release: () => void;
}

interface Slab {
  readonly bytes: Buffer;
  /** Bytes carved off so far. */
  used: number;
  /** Holders of frames carved from it that have not released them. */
  holders: number;
  /** No longer carved from: back to the free list once its last holder is done. */
  retired: boolean;
}

/**
 * Memory for the frames of pushes, reused from frame to frame. Each board's frame is a few KB,
 * and a fresh buffer for each costs, besides the allocation, a page fault for each 4 KB page
 * the first time it is written (about 10 µs here, on a VM: a tenth of a 10,000-board push).
 * Frames are carved from slabs kept between pushes; a slab is carved again once every write
 * of every frame in it has been handed to the system (the write's callback: the socket's, or
 * engine.io's, which comes after it). A write that never calls back (its connection closed
 * first) only keeps its slab from being reused: the slab is then left to the collector.
 */
export class FrameArena {
  readonly #slabBytes: number;
  readonly #keptSlabs: number;
  readonly #free: Slab[] = [];
  #current: Slab | undefined;

  constructor(options: { slabBytes?: number; keptSlabs?: number } = {}) {
    this.#slabBytes = options.slabBytes ?? 256 * 1024;
    this.#keptSlabs = options.keptSlabs ?? 16;
  }

  /** Slabs kept for reuse, and whether one is being carved from (for tests). */
  get slabs(): { free: number; current: boolean } {
    return { free: this.#free.length, current: this.#current !== undefined };
  }

  /**
   * The frame of `parts` (the bytes wsTextFrame makes), held once by the caller, who releases
   * it when it has started its writes. A frame larger than a slab has memory of its own.
   */
  textFrame(parts: readonly TextPart[]): FrameLease {
    const payload = payloadLength(parts);
    const length = frameLength(payload);
    if (length > this.#slabBytes) {
      return { frame: wsTextFrame(parts), retain: () => undefined, release: () => undefined };
    }
    const slab = this.#slabFor(length);
    const frame = slab.bytes.subarray(slab.used, slab.used + length);
    slab.used += length;
    writeTextFrame(frame, parts, payload);
    slab.holders += 1;
    let holders = 1;
    return {
      frame,
      retain: () => {
        holders += 1;
        slab.holders += 1;
      },
      release: () => {
        if (holders === 0) return;
        holders -= 1;
        slab.holders -= 1;
        if (slab.holders === 0) this.#drained(slab);
      },
    };
  }

  #slabFor(length: number): Slab {
    const current = this.#current;
    if (current && current.bytes.length - current.used >= length) return current;
    if (current) {
      current.retired = true;
      if (current.holders === 0) this.#drained(current);
    }
    const slab = this.#free.pop() ?? {
      bytes: Buffer.allocUnsafeSlow(this.#slabBytes),
      used: 0,
      holders: 0,
      retired: false,
    };
    this.#current = slab;
    return slab;
  }

  /** A slab none of whose frames is held any more: carved again from the start. */
  #drained(slab: Slab): void {
    slab.used = 0;
    if (!slab.retired) return;
    slab.retired = false;
    if (this.#free.length < this.#keptSlabs) this.#free.push(slab);
  }
}
