// wsTextFrame (controller/players/ws-frame.ts) builds the WebSocket frames a publish writes
// through engine.io as they are: `ws`'s own Sender must build the same bytes, and its Receiver
// must read them back as the text, at each of the three length encodings.
import type { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { wsTextFrame } from '../../controller/players/ws-frame.js';

// Exported by ws's ESM wrapper, but absent from @types/ws.
const { Receiver, Sender } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => Writable & EventEmitter;
  Sender: {
    frame(
      data: Buffer,
      options: { fin: boolean; mask: boolean; opcode: number; readOnly: boolean; rsv1: boolean },
    ): Buffer[];
  };
};

function receive(frame: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) reject(new Error('binary frame'));
      else resolve(data.toString('utf8'));
    });
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

const slogan = 'Nhiệt liệt chào mừng Đại hội Đảng bộ tỉnh lần thứ XVIII! ';

describe('wsTextFrame', () => {
  it.each([
    ['empty', 0],
    ['short (7-bit length)', 2],
    ['medium (16-bit length)', 40],
    ['long (64-bit length)', 1300],
  ])('frames %s text as ws does', async (_name, repeats) => {
    const parts = ['4', '2/player,["bundle:update",', JSON.stringify(slogan.repeat(repeats)), ']'];
    const text = parts.join('');
    const frame = wsTextFrame(parts);

    const expected = Sender.frame(Buffer.from(text, 'utf8'), {
      fin: true,
      mask: false,
      opcode: 1,
      readOnly: true,
      rsv1: false,
    });
    expect(frame.equals(Buffer.concat(expected))).toBe(true);
    expect(await receive(frame)).toBe(text);
  });

  it('counts bytes, not characters, in the length', () => {
    // 125 characters, more than 125 bytes: the 16-bit length is needed.
    const text = 'ệ'.repeat(125);
    const frame = wsTextFrame([text]);
    expect(frame[1]).toBe(126);
    expect(frame.readUInt16BE(2)).toBe(Buffer.byteLength(text));
    expect(frame.length).toBe(4 + Buffer.byteLength(text));
  });
});
