// Text in pieces: what a push writes into each board's WebSocket frame (ws-frame.ts) and what
// durable writes encode, without concatenating large strings.

/**
 * A piece of text that writes its own UTF-8 (text made from bytes, such as a Merkle proof's
 * hex, written straight into the frame without a string in between).
 */
export interface TextWriter {
  readonly byteLength: number;
  writeTo(target: Buffer, offset: number): void;
  text(): string;
}

/**
 * A piece of a frame's text: a string, its UTF-8 already encoded (text that many frames share,
 * such as a slice's plan, is encoded once and copied into each), or a writer of its UTF-8.
 */
export type TextPart = string | Uint8Array | TextWriter;

/** The text of parts, encoded pieces decoded (for a transport that sends text, not frames). */
export function partsText(parts: readonly TextPart[]): string {
  return parts
    .map((part) =>
      typeof part === 'string'
        ? part
        : part instanceof Uint8Array
          ? Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('utf8')
          : part.text(),
    )
    .join('');
}
