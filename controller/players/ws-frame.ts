/**
 * A final, unmasked WebSocket text frame (RFC 6455 §5.2) whose payload is the UTF-8 of
 * `parts.join('')`: header and payload in one buffer, so a socket writes it in one call.
 *
 * A push builds one per board and hands it to engine.io as a pre-encoded frame (the option
 * socket.io's own broadcasts use), which writes it as it is. Through the usual path `ws` would
 * encode the text again for every connection, from a string the concatenations had turned into
 * a rope (V8 encodes those several times slower than flat strings); here each part is flat and
 * encoded once, straight into the frame.
 */
export function wsTextFrame(parts: readonly string[]): Buffer {
  let length = 0;
  for (const part of parts) length += Buffer.byteLength(part, 'utf8');
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  let offset = headerLength;
  for (const part of parts) offset += frame.write(part, offset, 'utf8');
  return frame;
}
