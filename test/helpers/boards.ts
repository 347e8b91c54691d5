import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type Ack,
  type HelloReply,
  type PairingComplete,
  type PairingOffer,
} from '../../playlists/index.js';
import type { Http } from './http.js';

/** A socket.io client on a namespace of a test controller, without reconnection. */
export function connectSocket(
  url: string,
  namespace: string,
  options: Record<string, unknown> = {},
): Socket {
  return io(`${url}${namespace}`, { transports: ['websocket'], reconnection: false, ...options });
}

export async function connected(socket: Socket): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
}

/** Pairs a simulated board through the real pairing namespace; returns its device token. */
export async function pairSimulatedBoard(
  url: string,
  technician: Http,
  boardId: string,
): Promise<string> {
  const pairing = connectSocket(url, '/pairing');
  try {
    await connected(pairing);
    const offer = (await pairing.emitWithAck('pairing:request', {
      protocol: PROTOCOL_VERSION,
      screen: { width: 384, height: 128 },
    })) as Ack<PairingOffer>;
    if (!offer.ok) throw new Error(offer.code);
    const complete = new Promise<PairingComplete>((resolve) => {
      pairing.once('pairing:complete', (value: PairingComplete, ack: (ok: boolean) => void) => {
        ack(true);
        resolve(value);
      });
    });
    const claim = await technician.request('POST', '/api/pairings/claim', {
      code: offer.value.code,
      boardId,
    });
    if (claim.status !== 201)
      throw new Error(`claim: ${claim.status} ${JSON.stringify(claim.body)}`);
    return (await complete).token;
  } finally {
    pairing.disconnect();
  }
}

/** A paired board's player connection. */
export async function connectPlayer(url: string, token: string): Promise<Socket> {
  const socket = connectSocket(url, '/player', { auth: { token, protocol: PROTOCOL_VERSION } });
  await connected(socket);
  return socket;
}

/** The board's hello, holding no bundle. */
export async function sayHello(socket: Socket): Promise<HelloReply> {
  const reply = (await socket.emitWithAck('player:hello', {
    protocol: PROTOCOL_VERSION,
    bundleVersion: null,
    bundleHash: null,
    clientTimeMs: Date.now(),
    screen: { width: 384, height: 128 },
  })) as Ack<HelloReply>;
  if (!reply.ok) throw new Error(reply.code);
  return reply.value;
}
