// A publish writes each board's bundle as a socket.io packet it encodes itself
// (controller/players/hub.ts eventFrame): socket.io's own parser must read it as the event.
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { eventFrame } from '../../controller/players/hub.js';
import { canonicalJson } from '../../playlists/index.js';

function decode(frame: string): Packet {
  const decoder = new Decoder();
  let packet: Packet | undefined;
  decoder.on('decoded', (p: Packet) => {
    packet = p;
  });
  decoder.add(frame);
  if (!packet) throw new Error('not decoded');
  return packet;
}

const value = {
  boardId: 'cua-khau',
  plan: { content: [{ text: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM', n: [1, 2.5, null] }] },
  quote: 'a "quoted" \\ line\nnext',
};

describe('eventFrame', () => {
  it.each(['/player', '/'])('is the EVENT socket.io-parser decodes, on %s', (nsp) => {
    const frame = eventFrame(nsp, 'bundle:update', canonicalJson(value));
    expect(decode(frame)).toEqual({
      type: PacketType.EVENT,
      nsp,
      data: ['bundle:update', value],
    });
  });

  it('is what socket.io-parser encodes for the same packet, up to key order', () => {
    const [encoded] = new Encoder().encode({
      type: PacketType.EVENT,
      nsp: '/player',
      data: ['bundle:update', value],
    }) as string[];
    const frame = eventFrame('/player', 'bundle:update', JSON.stringify(value));
    expect(frame).toBe(encoded);
  });
});
