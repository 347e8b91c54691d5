// wsTextFrame (controller/players/ws-frame.ts) builds the WebSocket frames a publish writes
// through engine.io as they are: `ws`'s own Sender must build the same bytes, and its Receiver
// must read them back as the text, at each of the three length encodings.
import type { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { FrameArena, wsTextFrame } from '../../controller/players/ws-frame.js';

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

describe('FrameArena', () => {
  const frameOf = (i: number) => [
    '4',
    `2/player,["bundle:update",${JSON.stringify(slogan)}`,
    `${i}]`,
  ];
  /** Where a frame's bytes are: its memory and its range in it. */
  const place = (frame: Buffer) => ({
    memory: frame.buffer,
    from: frame.byteOffset,
    to: frame.byteOffset + frame.length,
  });

  it('builds the frames wsTextFrame builds, at every length encoding', () => {
    const arena = new FrameArena({ slabBytes: 100_000 });
    for (const repeats of [0, 1, 40, 1300]) {
      const parts = ['4', JSON.stringify(slogan.repeat(repeats))];
      const lease = arena.textFrame(parts);
      expect(lease.frame.equals(wsTextFrame(parts))).toBe(true);
      lease.release();
    }
  });

  it('never hands out memory a frame still being written holds', () => {
    const arena = new FrameArena({ slabBytes: 1_024, keptSlabs: 4 });
    const held = arena.textFrame(frameOf(0));
    held.retain(); // a write in flight
    held.release(); // the builder is done
    const copy = Buffer.from(held.frame);
    const others = Array.from({ length: 50 }, (_, i) => {
      const lease = arena.textFrame(frameOf(i + 1));
      const where = place(lease.frame);
      lease.release();
      return where;
    });
    const mine = place(held.frame);
    for (const other of others) {
      const overlaps = other.memory === mine.memory && other.from < mine.to && mine.from < other.to;
      expect(overlaps).toBe(false);
    }
    expect(held.frame.equals(copy)).toBe(true);
  });

  it('reuses the memory of frames once all their writes are done, keeping a few slabs', () => {
    const arena = new FrameArena({ slabBytes: 1_024, keptSlabs: 2 });
    const leases = Array.from({ length: 30 }, (_, i) => {
      const lease = arena.textFrame(frameOf(i));
      lease.retain();
      lease.release();
      return lease;
    });
    const memories = new Set(leases.map((l) => l.frame.buffer));
    expect(memories.size).toBeGreaterThan(2);
    // Every write calls back (twice, for one: a second call changes nothing).
    for (const lease of leases) lease.release();
    leases[0]?.release();
    expect(arena.slabs.free).toBe(2);
    // The next frames come from memory already used, from its start.
    const next = arena.textFrame(frameOf(99));
    expect(memories.has(next.frame.buffer)).toBe(true);
    next.release();
    const again = arena.textFrame(frameOf(100));
    expect(again.frame.byteOffset).toBe(next.frame.byteOffset);
    expect(again.frame.buffer).toBe(next.frame.buffer);
  });

  it('gives a frame larger than a slab memory of its own', () => {
    const arena = new FrameArena({ slabBytes: 1_024 });
    const parts = ['4', JSON.stringify(slogan.repeat(100))];
    const lease = arena.textFrame(parts);
    expect(lease.frame.equals(wsTextFrame(parts))).toBe(true);
    expect(arena.slabs).toEqual({ free: 0, current: false });
    lease.release();
  });
});
