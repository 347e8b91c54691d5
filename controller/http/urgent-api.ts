import { z } from 'zod';
import { AnnouncementSchema, IdSchema, InstantSchema } from '../../playlists/index.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { PlanService } from '../plans/service.js';
import type { PlayerHub } from '../players/hub.js';
import type { ReleaseService } from '../releases/service.js';
import type { AppState, Role } from '../state.js';
import type { StateStore } from '../store/index.js';
import { ApiError } from './errors.js';
import { problem } from '../../playlists/problems.js';
import { ANY_ROLE, type ApiRoutes, type Caller } from './routes.js';

const APPROVERS: readonly Role[] = ['admin', 'approver'];

/** The words an approver types to blank every board, and to give them back their content. */
export const BLANK_ALL_CONFIRM = 'BLANK-ALL';
export const UNBLANK_ALL_CONFIRM = 'UNBLANK-ALL';

const PlanParams = z.strictObject({ planId: IdSchema });
const AnnouncementParams = z.strictObject({ planId: IdSchema, id: IdSchema });
/** Ending takes no options; an empty object or no body at all. */
const EndBody = z.strictObject({}).optional();
/** An announcement; `from` may be left out to mean "now". */
const UrgentBody = AnnouncementSchema.extend({ from: InstantSchema.optional() });
const BlankBody = z.strictObject({
  confirm: z.literal(BLANK_ALL_CONFIRM, { error: `must be "${BLANK_ALL_CONFIRM}"` }),
  reason: z.string().max(500).optional(),
});
const UnblankBody = z.strictObject({
  confirm: z.literal(UNBLANK_ALL_CONFIRM, { error: `must be "${UNBLANK_ALL_CONFIRM}"` }),
});

function callerId(caller: Caller | undefined): string {
  if (!caller) throw new ApiError('unauthenticated', 'log in or send a bearer token');
  return caller.user.id;
}

/** The approvers' emergency paths: an urgent announcement in one step, and blank every board. */
export function addUrgentRoutes(
  api: ApiRoutes,
  deps: {
    store: StateStore<AppState>;
    plans: PlanService;
    releases: ReleaseService;
    hub: PlayerHub;
    events: EventBus;
    clock: Clock;
  },
): void {
  const { store, plans, releases, hub, events, clock } = deps;

  api.add({
    method: 'post',
    path: '/api/plans/:planId/urgent-announcements',
    summary:
      'Urgent announcement (thông báo nhanh): create, approve and publish in one step (approvers and admins; four-eyes does not apply)',
    tag: 'approval',
    access: APPROVERS,
    params: PlanParams,
    body: UrgentBody,
    status: 201,
    audit: 'announcement.urgent',
    handler: async ({ params, body, caller, audit: note }) => {
      const by = callerId(caller);
      const announcement = { ...body, from: body.from ?? new Date(clock.now()).toISOString() };
      note.target = `plans/${params.planId}/announcements/${body.id}`;
      // Created and published with no other publish in between; an urgent call that could not
      // be published leaves nothing behind.
      const { changed: created, release } = await releases.publishChange(
        by,
        `Thông báo nhanh ${body.id}`,
        () =>
          plans.createEntity(params.planId, 'announcements', announcement, {
            by,
            land: 'approved',
            urgent: true,
          }),
        () => plans.deleteEntity(params.planId, 'announcements', body.id, { by }),
      );
      note.details = {
        release: release.version,
        hash: release.hash,
        from: announcement.from,
        to: announcement.to,
      };
      return { announcement: created, release };
    },
  });

  api.add({
    method: 'post',
    path: '/api/plans/:planId/urgent-announcements/:id/end',
    summary:
      'End an announcement now, and publish (approvers and admins): a playing one ends at this instant, one still to come is cancelled',
    tag: 'approval',
    access: APPROVERS,
    params: AnnouncementParams,
    body: EndBody,
    audit: 'announcement.urgent_end',
    handler: async ({ params, caller, audit: note }) => {
      const by = callerId(caller);
      const { planId, id } = params;
      note.target = `plans/${planId}/announcements/${id}`;
      const record = store
        .read()
        .approvals.find((r) => r.planId === planId && r.kind === 'announcements' && r.id === id);
      if (record?.kind !== 'announcements' || !record.approved) {
        // The plan itself may be missing: say so rather than "no announcement".
        plans.get(planId);
        throw new ApiError('not_found', `no approved announcement "${id}" in plan "${planId}"`);
      }
      if (record.status !== 'approved') {
        // Ending it would land the waiting edit unseen, or drop it: its author and approver decide.
        throw new ApiError(
          'conflict',
          `announcement "${id}" has an edit waiting (${record.status}, revision ${String(record.revision)}); approve, reject or undo it first`,
          [
            problem(
              '$.params.id',
              'item_status',
              { status: record.status, expected: ['approved'] },
              `is ${record.status}`,
            ),
          ],
        );
      }
      const approved = record.approved.value;
      const wasUrgent = record.approved.urgent === true;
      const nowMs = clock.now();
      if (Date.parse(approved.to) <= nowMs) {
        throw new ApiError('conflict', `announcement "${id}" already ended at ${approved.to}`, [
          problem(
            '$.params.id',
            'announcement_ended',
            { to: approved.to },
            `ended at ${approved.to}`,
          ),
        ]);
      }
      const edit = { by, land: 'approved', urgent: true } as const;
      // Only the version looked at above: an edit that lands meanwhile makes this a 409.
      const guard = { ifRevision: record.revision };
      // Playing: it ends now. Still to come: it never starts.
      const cancelled = Date.parse(approved.from) >= nowMs;
      const ended = { ...approved, to: new Date(nowMs).toISOString() };
      // Not published: the announcement stands as it was approved.
      const restore = { by, land: 'approved', urgent: wasUrgent } as const;
      const { release } = await releases.publishChange(
        by,
        `Kết thúc thông báo ${id}`,
        async () => {
          if (cancelled) await plans.deleteEntity(planId, 'announcements', id, edit, guard);
          else await plans.updateEntity(planId, 'announcements', id, ended, 'replace', edit, guard);
        },
        () =>
          cancelled
            ? plans.createEntity(planId, 'announcements', approved, restore)
            : plans.updateEntity(planId, 'announcements', id, approved, 'replace', restore),
      );
      note.details = {
        release: release.version,
        ...(cancelled ? { cancelled: true, from: approved.from } : { to: ended.to }),
        wasTo: approved.to,
      };
      return {
        outcome: cancelled ? 'cancelled' : 'ended',
        announcement: cancelled ? null : ended,
        release,
      };
    },
  });

  api.add({
    method: 'get',
    path: '/api/boards/blank-all',
    summary: 'Whether every board is blanked, since when and by whom (user id and username)',
    tag: 'boards',
    access: ANY_ROLE,
    handler: () => {
      const { blankAll: state, users } = store.read();
      if (!state) return { blank: false };
      // The dashboard shows who did it to every role, and only admins may list users.
      const username = users.find((u) => u.id === state.by)?.username;
      return { blank: true, ...state, ...(username === undefined ? {} : { byUsername: username }) };
    },
  });
  api.add({
    method: 'post',
    path: '/api/boards/blank-all',
    summary: `Blank every board at once, online ones now and the others when they reconnect (approvers and admins; send { "confirm": "${BLANK_ALL_CONFIRM}" })`,
    tag: 'boards',
    access: APPROVERS,
    body: BlankBody,
    audit: 'board.blank_all',
    handler: async ({ body, caller, audit: note }) => {
      const by = callerId(caller);
      const state = await store.update((s) => {
        // Already blank: keep who did it first and when; boards hear it again regardless.
        s.blankAll ??= {
          since: new Date(clock.now()).toISOString(),
          by,
          ...(body.reason === undefined ? {} : { reason: body.reason }),
        };
        return s.blankAll;
      });
      events.emit({ type: 'blank:changed', blank: true, atMs: clock.now() });
      const online = hub.onlineCount();
      note.target = 'boards';
      note.details = {
        since: state.since,
        online,
        ...(body.reason === undefined ? {} : { reason: body.reason }),
      };
      return { blank: true, ...state, online };
    },
  });
  api.add({
    method: 'post',
    path: '/api/boards/unblank-all',
    summary: `Undo blank-all: every board plays its content again (approvers and admins; send { "confirm": "${UNBLANK_ALL_CONFIRM}" })`,
    tag: 'boards',
    access: APPROVERS,
    body: UnblankBody,
    audit: 'board.unblank_all',
    handler: async ({ audit: note }) => {
      const before = await store.update((s) => {
        const was = s.blankAll;
        s.blankAll = null;
        return was;
      });
      events.emit({ type: 'blank:changed', blank: false, atMs: clock.now() });
      const online = hub.onlineCount();
      note.target = 'boards';
      note.details = { online, ...(before ? { blankSince: before.since } : { wasBlank: false }) };
      return { blank: false, online };
    },
  });
}
