import { z } from 'zod';
import { COMMAND_TYPES, IdSchema, problem } from '../../playlists/index.js';
import type { AssetService } from '../assets/service.js';
import type { Clock } from '../clock.js';
import type { PlayerHub } from '../players/hub.js';
import { publicDevice, type PairingService } from '../players/pairing.js';
import type { ReleaseService } from '../releases/service.js';
import { ASSET_NAME_PATTERN, type AppState, type Role } from '../state.js';
import type { StateStore } from '../store/index.js';
import { unknownStatus, type BoardStatusBook } from '../telemetry/status.js';
import { ApiError } from './errors.js';
import { ANY_ROLE, type ApiRoutes, type Caller } from './routes.js';

const TECHNICIANS: readonly Role[] = ['admin', 'technician'];
const EDITORS: readonly Role[] = ['admin', 'editor'];

const ClaimBody = z.strictObject({
  code: z.string().min(1).max(32),
  boardId: IdSchema,
});
const IdParams = z.strictObject({ id: IdSchema });
const CommandBody = z.strictObject({ type: z.enum(COMMAND_TYPES) });
const AssetQuery = z.strictObject({
  name: z.string().regex(ASSET_NAME_PATTERN, 'must be a plain file name'),
});

function callerId(caller: Caller | undefined): string {
  if (!caller) throw new ApiError('unauthenticated', 'log in or send a bearer token');
  return caller.user.id;
}

/** Routes for pairing, devices, remote commands, board status and banner files. */
export function addPlayerRoutes(
  api: ApiRoutes,
  deps: {
    store: StateStore<AppState>;
    pairing: PairingService;
    hub: PlayerHub;
    status: BoardStatusBook;
    releases: ReleaseService;
    assets: AssetService;
    clock: Clock;
  },
): void {
  const { store, pairing, hub, status, releases, assets, clock } = deps;

  api.add({
    method: 'post',
    path: '/api/pairings/claim',
    summary:
      'Bind the player showing a pairing code to a board; the code may be typed in any case, with or without separators',
    tag: 'pairing',
    access: TECHNICIANS,
    body: ClaimBody,
    status: 201,
    audit: 'pairing.claim',
    handler: async ({ body, caller, audit: note }) => {
      note.target = `boards/${body.boardId}`;
      const device = await pairing.claim(body.code, body.boardId, callerId(caller));
      // Never the code: until it expires it is what lets a player in.
      note.details = { deviceId: device.id };
      return device;
    },
  });
  api.add({
    method: 'get',
    path: '/api/devices',
    summary: 'Paired devices (players), live and revoked',
    tag: 'pairing',
    access: ANY_ROLE,
    handler: () => store.read().devices.map(publicDevice),
  });
  api.add({
    method: 'post',
    path: '/api/devices/:id/revoke',
    summary: 'Revoke one device: it returns to the pairing screen and discards its cache',
    tag: 'pairing',
    access: TECHNICIANS,
    params: IdParams,
    audit: 'device.revoke',
    handler: async ({ params, caller, audit: note }) => {
      const revoked = await pairing.revoke({ deviceId: params.id }, callerId(caller));
      note.details = { revoked, count: revoked.length };
      hub.disconnectDevices(revoked);
      return { revoked };
    },
  });
  api.add({
    method: 'post',
    path: '/api/boards/:id/revoke',
    summary: 'Revoke every device paired to a board',
    tag: 'pairing',
    access: TECHNICIANS,
    params: IdParams,
    audit: 'device.revoke',
    handler: async ({ params, caller, audit: note }) => {
      const revoked = await pairing.revoke({ boardId: params.id }, callerId(caller));
      note.details = { revoked: revoked.slice(0, 50), count: revoked.length };
      hub.disconnectDevices(revoked);
      return { revoked };
    },
  });
  api.add({
    method: 'post',
    path: '/api/boards/:id/commands',
    summary:
      'Send a remote command (reload, identify, blank, unblank, screenshot) to the players of a board',
    tag: 'boards',
    access: TECHNICIANS,
    params: IdParams,
    body: CommandBody,
    audit: 'command.send',
    handler: async ({ params, body, audit: note }) => {
      const results = await hub.command(params.id, body.type);
      if (results.length === 0) {
        throw new ApiError('conflict', `no player of "${params.id}" is online`, [
          problem('$.params.id', 'board_offline', { board: params.id }, 'no player is online'),
        ]);
      }
      note.details = {
        type: body.type,
        players: results.length,
        succeeded: results.filter((r) => r.ok).length,
      };
      return { results };
    },
  });
  api.add({
    method: 'get',
    path: '/api/boards/status',
    summary: 'Live status of every board: connection, last heartbeat, what it plays, its bundle',
    tag: 'boards',
    access: ANY_ROLE,
    handler: () => {
      const latest = releases.current();
      const boards = store.read().plans.flatMap((p) => p.boards);
      return boards.map((board) => ({
        ...(status.get(board.id) ?? unknownStatus(board.id)),
        latestBundleVersion: latest?.bundles[board.id]?.version ?? null,
      }));
    },
  });
  api.add({
    method: 'get',
    path: '/api/assets',
    summary: 'Uploaded banner files',
    tag: 'assets',
    access: ANY_ROLE,
    handler: () => assets.list(),
  });
  api.add({
    method: 'post',
    path: '/api/assets',
    summary:
      'Upload a banner (PNG, JPEG or WebP, the raw bytes as the body) under a name plans can refer to',
    tag: 'assets',
    access: EDITORS,
    query: AssetQuery,
    status: 201,
    audit: 'asset.upload',
    handler: async ({ req, query, caller, audit: note }) => {
      if (!(req.body instanceof Buffer)) {
        throw new ApiError('invalid_request', 'send the image bytes with an image content type', [
          problem('$.body', 'not_an_image', {}, 'expected image/png, image/jpeg or image/webp'),
        ]);
      }
      note.target = `assets/${query.name}`;
      const asset = await assets.upload(req.body, query.name, callerId(caller));
      note.details = { sha256: asset.sha256, type: asset.type, size: asset.size };
      return asset;
    },
  });
  api.add({
    method: 'get',
    path: '/api/public/boards/:id/bundle',
    summary:
      'The bundle of a board marked public, for the web-portal embed (no credentials; published content only)',
    tag: 'public',
    access: 'public',
    params: IdParams,
    handler: ({ params }) => {
      const bundle = releases.bundle(params.id);
      if (!bundle || bundle.board.public !== true) {
        throw new ApiError('not_found', `no public board "${params.id}"`);
      }
      return {
        bundle,
        serverTimeMs: clock.now(),
        publicKey: releases.publicKey,
        // The portal's banner slot is a board too: blank-all reaches it at its next refresh.
        blankAll: store.read().blankAll !== null,
      };
    },
  });
}
