import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type Ack,
  type HelloReply,
  type PairingComplete,
  type PairingOffer,
} from '../../playlists/index.js';
import type { Http } from './http.js';

/** A socket.io client on one namespace: websocket only, no automatic reconnection. */
export function connectSocket(
  url: string,
  namespace: string,
  options: Record<string, unknown> = {},
): Socket {
  return io(`${url}${namespace}`, { transports: ['websocket'], reconnection: false, ...options });
}

/** Resolves once the socket is connected; rejects with the server's refusal. */
export function whenConnected(socket: Socket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (socket.connected) {
      resolve();
      return;
    }
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
}

/** A paired board's credentials. */
export interface PairedBoard {
  boardId: string;
  token: string;
  deviceId: string;
}

/**
 * Pairs a simulated board the way a real one is paired: it asks for a code on /pairing, an
 * operator (`claimer`, a technician or admin) claims the code for `boardId`, and the board
 * confirms receipt of its token.
 */
export async function pairBoard(url: string, claimer: Http, boardId: string): Promise<PairedBoard> {
  const pairing = connectSocket(url, '/pairing');
  try {
    await whenConnected(pairing);
    const offer = (await pairing.emitWithAck('pairing:request', {
      protocol: PROTOCOL_VERSION,
      screen: { width: 384, height: 128 },
    })) as Ack<PairingOffer>;
    if (!offer.ok) throw new Error(`pairing request refused: ${offer.code}`);
    const complete = new Promise<PairingComplete>((resolve) => {
      pairing.once('pairing:complete', (value: PairingComplete, ack: (ok: boolean) => void) => {
        ack(true);
        resolve(value);
      });
    });
    const claim = await claimer.request<{ id: string }>('POST', '/api/pairings/claim', {
      code: offer.value.code,
      boardId,
    });
    if (claim.status !== 201) {
      throw new Error(`claim failed: ${claim.status} ${JSON.stringify(claim.body)}`);
    }
    const { token } = await complete;
    return { boardId, token, deviceId: claim.body.id };
  } finally {
    pairing.disconnect();
  }
}

/** A connected /player socket of a paired board. */
export async function playerSocket(url: string, token: string): Promise<Socket> {
  const socket = connectSocket(url, '/player', { auth: { token, protocol: PROTOCOL_VERSION } });
  await whenConnected(socket);
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
