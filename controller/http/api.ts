import { z } from 'zod';
import {
  IdSchema,
  InstantSchema,
  PlanInfoSchema,
  TimelineTooLarge,
  toIsoSegment,
  type SegmentMs,
} from '../../playlists/index.js';
import { auditMatcher } from '../audit/filter.js';
import type { AuditLog } from '../audit/log.js';
import { endCredentials, publicUser, type AuthService } from '../auth/service.js';
import type { Clock } from '../clock.js';
import type { ApprovalService, EditContext } from '../plans/approval.js';
import {
  ENTITY_KINDS,
  ENTITY_SCHEMAS,
  type EntityKind,
  type PlanService,
  type RevisionGuard,
} from '../plans/service.js';
import type { ReleaseService } from '../releases/service.js';
import { APPROVAL_KINDS, RoleSchema, UsernameSchema, type AppState, type Role } from '../state.js';
import { problem } from '../../playlists/problems.js';
import type { StateStore } from '../store/index.js';
import { ApiError } from './errors.js';
import { ANY_ROLE, ApiRoutes, problemsIn, userActor, type Caller } from './routes.js';

/** The longest span one timeline request may cover, and the most segments it may return. */
export const TIMELINE_MAX_SPAN_MS = 366 * 86_400_000;
export const TIMELINE_MAX_SEGMENTS = 200_000;

export const SESSION_COOKIE = 'bangtin_session';

const EDITORS: readonly Role[] = ['admin', 'editor'];
const PUBLISHERS: readonly Role[] = ['admin', 'approver'];
const BOARD_EDITORS: readonly Role[] = ['admin', 'editor', 'technician'];
const ADMINS: readonly Role[] = ['admin'];
/** Who may read the audit log: admins and auditors (the viewer role). */
const AUDITORS: readonly Role[] = ['admin', 'viewer'];

/** The most audit entries one request returns, and how many when it does not say. */
export const AUDIT_PAGE_MAX = 500;
export const AUDIT_PAGE_DEFAULT = 100;
/** The most entries one filtered request looks at: a search for something rare answers in pages. */
export const AUDIT_SCAN_MAX = 20_000;

const PlanParams = z.strictObject({ planId: IdSchema });
const EntityParams = z.strictObject({ planId: IdSchema, id: IdSchema });
const IdParams = z.strictObject({ id: IdSchema });
const UserTokenParams = z.strictObject({ id: IdSchema, tokenId: IdSchema });
const NoQuery = z.strictObject({});

// The span is judged only between two valid instants: a bad one is reported once, as itself.
const bothInstants = (q: { from: string; to: string }) =>
  InstantSchema.safeParse(q.from).success && InstantSchema.safeParse(q.to).success;
const TimelineQuery = z
  .strictObject({ from: InstantSchema, to: InstantSchema })
  .refine((q) => !bothInstants(q) || Date.parse(q.to) > Date.parse(q.from), {
    message: 'must be after "from"',
    path: ['to'],
    params: { code: 'to_not_after_from' },
  })
  .refine(
    (q) => !bothInstants(q) || Date.parse(q.to) - Date.parse(q.from) <= TIMELINE_MAX_SPAN_MS,
    {
      message: 'the span may cover at most 366 days',
      path: ['to'],
      params: { code: 'span_too_long', maxDays: TIMELINE_MAX_SPAN_MS / 86_400_000 },
    },
  );

const LoginBody = z.strictObject({
  username: z.string().max(64),
  password: z.string().max(200),
});

const NewUserBody = z.strictObject({
  username: UsernameSchema,
  password: z.string().max(200),
  role: RoleSchema,
  displayName: z.string().max(200).optional(),
});

const UserPatchBody = z.strictObject({
  role: RoleSchema.optional(),
  displayName: z.string().max(200).optional(),
  disabled: z.boolean().optional(),
  password: z.string().max(200).optional(),
});

const PasswordBody = z.strictObject({
  currentPassword: z.string().max(200),
  newPassword: z.string().max(200),
});

const WholeNumber = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'must be a positive whole number')
  .transform(Number);
const AuditQuery = z.strictObject({
  limit: WholeNumber.pipe(z.int().max(AUDIT_PAGE_MAX)).optional(),
  before: WholeNumber.optional(),
  outcome: z.enum(['ok', 'refused']).optional(),
  action: z
    .string()
    .regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)?$/, 'must be an action (auth.login) or its group (auth)')
    .max(64)
    .optional(),
  q: z.string().max(200).optional(),
});

const TokenBody = z.strictObject({ name: z.string().min(1).max(100) });
/** `?draft=true` keeps a change out of the approval queue until it is submitted. */
const EditQuery = z.strictObject({ draft: z.enum(['true', 'false']).optional() });
/**
 * A change of an existing item; `?ifRevision=N` makes it only if the item is still at revision
 * N (content, playlists, schedules, announcements): two editors saving the same item at once
 * no longer silently lose one's change (409).
 */
const ChangeQuery = EditQuery.extend({
  ifRevision: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, 'must be a revision number')
    .transform(Number)
    .optional(),
});

/** The revision guard of a change, refused for kinds that have no revisions. */
function revisionGuard(kind: EntityKind, ifRevision: number | undefined): RevisionGuard {
  if (ifRevision === undefined) return {};
  if (!(APPROVAL_KINDS as readonly string[]).includes(kind)) {
    throw new ApiError('invalid_request', `${kind} have no revisions`, [
      problem(
        '$.query.ifRevision',
        'unknown_field',
        { field: 'ifRevision' },
        `${kind} have no revisions`,
      ),
    ]);
  }
  return { ifRevision };
}
const ReleaseParams = z.strictObject({
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, 'must be a release number')
    .transform(Number),
});
const PublishBody = z.strictObject({ note: z.string().max(1000).optional() }).optional();

function requireCaller(caller: Caller | undefined): Caller {
  if (!caller) throw new ApiError('unauthenticated', 'log in or send a bearer token');
  return caller;
}

/** Who edits, and whether the items they change land as drafts or pending approval. */
function editBy(caller: Caller | undefined, query?: { draft?: 'true' | 'false' }): EditContext {
  return { by: requireCaller(caller).user.id, land: query?.draft === 'true' ? 'draft' : 'pending' };
}

/** The noun of an entity kind in audit actions: `content.update`, `schedule.delete`. */
const KIND_NOUN: Record<EntityKind, string> = {
  phases: 'phase',
  boards: 'board',
  content: 'content',
  playlists: 'playlist',
  schedules: 'schedule',
  announcements: 'announcement',
};

/** The names of the fields a change sends (never their values: one may be a password). */
function fieldsOf(body: object): { fields: string[] } {
  return { fields: Object.keys(body).sort() };
}

const KIND_ACCESS: Record<EntityKind, readonly Role[]> = {
  phases: EDITORS,
  boards: BOARD_EDITORS,
  content: EDITORS,
  playlists: EDITORS,
  schedules: EDITORS,
  announcements: [...EDITORS, 'approver'],
};

/** Every route of the operator API. */
export function buildApi(deps: {
  store: StateStore<AppState>;
  auth: AuthService;
  plans: PlanService;
  approvals: ApprovalService;
  releases: ReleaseService;
  audit: AuditLog;
  clock: Clock;
  version: string;
  secureCookies: boolean;
}): ApiRoutes {
  const { store, auth, plans, approvals, releases, audit, clock } = deps;
  const api = new ApiRoutes(audit);

  api.add({
    method: 'get',
    path: '/api/health',
    summary: 'Liveness and the latest release',
    tag: 'system',
    access: 'public',
    handler: () => ({
      status: 'ok',
      version: deps.version,
      release: releases.current()?.meta.version ?? null,
      time: new Date(clock.now()).toISOString(),
    }),
  });

  /** Who the caller is, their CSRF token, and the routes their role may call. */
  const whoIs = (c: Caller) => {
    const session = store.read().sessions.find((s) => s.id === c.sessionId);
    return {
      user: publicUser(c.user),
      via: c.via,
      csrfToken: session?.csrfToken ?? null,
      allowed: api.allowedFor(c.user.role),
    };
  };

  // --- auth ---
  api.add({
    method: 'post',
    path: '/api/auth/login',
    summary: 'Log in; sets an httpOnly session cookie and returns the CSRF token',
    tag: 'auth',
    access: 'public',
    body: LoginBody,
    audit: 'auth.login',
    auditRefused: 'auth.login_failed',
    handler: async ({ body, req, res, audit: note }) => {
      note.actor = { kind: 'anonymous', username: body.username };
      const { user, cookieValue, session } = await auth.login(body.username, body.password);
      note.actor = userActor(user);
      note.target = `users/${user.id}`;
      res.cookie(SESSION_COOKIE, cookieValue, {
        httpOnly: true,
        sameSite: 'strict',
        // Over TLS (directly, or behind a proxy trusted with BANGTIN_TRUST_PROXY) always Secure.
        secure: deps.secureCookies || req.secure,
        path: '/',
        // A lifetime, not a date: the controller's clock may be simulated (a demo set in 2020),
        // and a browser would drop a cookie whose expiry date is already past by its own clock.
        maxAge: Math.max(0, Date.parse(session.expiresAt) - clock.now()),
      });
      return { user: publicUser(user), csrfToken: session.csrfToken };
    },
  });
  api.add({
    method: 'post',
    path: '/api/auth/logout',
    summary: 'End the current session',
    tag: 'auth',
    access: ANY_ROLE,
    status: 204,
    audit: 'auth.logout',
    handler: async ({ caller, res }) => {
      const sessionId = requireCaller(caller).sessionId;
      if (sessionId !== undefined) await auth.logout(sessionId);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  });
  api.add({
    method: 'get',
    path: '/api/auth/me',
    summary: 'Who is logged in',
    tag: 'auth',
    access: ANY_ROLE,
    handler: ({ caller }) => whoIs(requireCaller(caller)),
  });
  api.add({
    method: 'get',
    path: '/api/auth/session',
    summary:
      'Whether the caller is logged in, and if so the same as /api/auth/me (a page asks this without a 401)',
    tag: 'auth',
    access: 'public',
    handler: ({ caller }) =>
      caller ? { authenticated: true, ...whoIs(caller) } : { authenticated: false },
  });
  api.add({
    method: 'post',
    path: '/api/auth/password',
    summary: 'Change your own password (ends your sessions and revokes your API tokens)',
    tag: 'auth',
    access: ANY_ROLE,
    body: PasswordBody,
    status: 204,
    audit: 'auth.password_change',
    handler: async ({ caller, body, audit: note }) => {
      const c = requireCaller(caller);
      if (!(await auth.checkPassword(c.user.id, body.currentPassword))) {
        throw new ApiError('invalid_credentials', 'the current password is wrong');
      }
      const ended = await auth.setPassword(c.user.id, body.newPassword, '$.body.newPassword');
      note.details = { ...ended };
    },
  });
  api.add({
    method: 'get',
    path: '/api/auth/tokens',
    summary: 'Your API tokens (names only)',
    tag: 'auth',
    access: ANY_ROLE,
    handler: ({ caller }) => {
      const c = requireCaller(caller);
      return store
        .read()
        .apiTokens.filter((t) => t.userId === c.user.id)
        .map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt }));
    },
  });
  api.add({
    method: 'post',
    path: '/api/auth/tokens',
    summary: 'Make an API token for yourself, with your role; the secret is shown once',
    tag: 'auth',
    access: ANY_ROLE,
    body: TokenBody,
    status: 201,
    audit: 'token.create',
    handler: async ({ caller, body, audit: note }) => {
      const c = requireCaller(caller);
      const { id, token } = await auth.createToken(c.user.id, body.name);
      note.target = `auth/tokens/${id}`;
      note.details = { name: body.name };
      return { id, name: body.name, token };
    },
  });
  api.add({
    method: 'delete',
    path: '/api/auth/tokens/:id',
    summary: 'Revoke one of your API tokens',
    tag: 'auth',
    access: ANY_ROLE,
    params: IdParams,
    status: 204,
    audit: 'token.delete',
    handler: async ({ caller, params }) => {
      const c = requireCaller(caller);
      await store.update((state) => {
        const before = state.apiTokens.length;
        state.apiTokens = state.apiTokens.filter(
          (t) => !(t.id === params.id && t.userId === c.user.id),
        );
        if (state.apiTokens.length === before) throw new ApiError('not_found', 'no such token');
      });
    },
  });

  // --- users ---
  api.add({
    method: 'get',
    path: '/api/users',
    summary: 'List users',
    tag: 'users',
    access: ADMINS,
    handler: () => store.read().users.map(publicUser),
  });
  api.add({
    method: 'post',
    path: '/api/users',
    summary: 'Create a user',
    tag: 'users',
    access: ADMINS,
    body: NewUserBody,
    status: 201,
    audit: 'user.create',
    handler: async ({ body, audit: note }) => {
      const user = await auth.createUser(body);
      note.target = `users/${user.id}`;
      note.details = { username: user.username, role: user.role };
      return publicUser(user);
    },
  });
  api.add({
    method: 'patch',
    path: '/api/users/:id',
    summary: 'Change a user: role, name, disabled, password',
    tag: 'users',
    access: ADMINS,
    params: IdParams,
    body: UserPatchBody,
    audit: 'user.update',
    handler: async ({ params, body, caller, audit: note }) => {
      note.details = {
        ...fieldsOf(body),
        ...(body.role === undefined ? {} : { role: body.role }),
        ...(body.disabled === undefined ? {} : { disabled: body.disabled }),
      };
      let endedSessions = 0;
      let revokedTokens = 0;
      if (body.password !== undefined) {
        const ended = await auth.setPassword(params.id, body.password);
        endedSessions += ended.endedSessions;
        revokedTokens += ended.revokedTokens;
      }
      const updated = await store.update((state) => {
        const user = state.users.find((u) => u.id === params.id);
        if (!user) throw new ApiError('not_found', 'no such user');
        if (params.id === caller?.user.id && (body.role !== undefined || body.disabled === true)) {
          throw new ApiError('conflict', 'you cannot demote or disable yourself', [
            problem('$.params.id', 'own_account', {}, 'this is your own account'),
          ]);
        }
        if (body.role !== undefined) user.role = body.role;
        if (body.displayName !== undefined) user.displayName = body.displayName;
        if (body.disabled !== undefined) user.disabled = body.disabled;
        user.updatedAt = new Date(clock.now()).toISOString();
        if (user.disabled === true) {
          // A disabled user's tokens are revoked, not just ignored: enabling the user again
          // must not bring back tokens made before, perhaps by whoever had the account.
          const ended = endCredentials(state, user.id);
          endedSessions += ended.endedSessions;
          revokedTokens += ended.revokedTokens;
        }
        return publicUser(user);
      });
      if (endedSessions > 0 || revokedTokens > 0) {
        note.details = { ...note.details, endedSessions, revokedTokens };
      }
      return updated;
    },
  });
  api.add({
    method: 'get',
    path: '/api/users/:id/tokens',
    summary: "A user's API tokens (names only)",
    tag: 'users',
    access: ADMINS,
    params: IdParams,
    handler: ({ params }) => {
      const state = store.read();
      if (!state.users.some((u) => u.id === params.id)) {
        throw new ApiError('not_found', 'no such user');
      }
      return state.apiTokens
        .filter((t) => t.userId === params.id)
        .map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt }));
    },
  });
  api.add({
    method: 'delete',
    path: '/api/users/:id/tokens/:tokenId',
    summary: "Revoke one of a user's API tokens",
    tag: 'users',
    access: ADMINS,
    params: UserTokenParams,
    status: 204,
    audit: 'token.delete',
    handler: async ({ params, audit: note }) => {
      note.target = `users/${params.id}/tokens/${params.tokenId}`;
      await store.update((state) => {
        const token = state.apiTokens.find(
          (t) => t.id === params.tokenId && t.userId === params.id,
        );
        if (!token) throw new ApiError('not_found', 'no such token');
        note.details = { name: token.name };
        state.apiTokens = state.apiTokens.filter((t) => t !== token);
      });
    },
  });
  api.add({
    method: 'delete',
    path: '/api/users/:id',
    summary: 'Delete a user, their sessions and tokens',
    tag: 'users',
    access: ADMINS,
    params: IdParams,
    status: 204,
    audit: 'user.delete',
    handler: async ({ params, caller, audit: note }) => {
      if (params.id === caller?.user.id) {
        throw new ApiError('conflict', 'you cannot delete yourself', [
          problem('$.params.id', 'own_account', {}, 'this is your own account'),
        ]);
      }
      note.details = await store.update((state) => {
        if (!state.users.some((u) => u.id === params.id)) {
          throw new ApiError('not_found', 'no such user');
        }
        state.users = state.users.filter((u) => u.id !== params.id);
        return { ...endCredentials(state, params.id) };
      });
    },
  });

  // --- plans ---
  api.add({
    method: 'get',
    path: '/api/plans',
    summary: 'List plans (working copies)',
    tag: 'plans',
    access: ANY_ROLE,
    handler: () => plans.list(),
  });
  api.add({
    method: 'post',
    path: '/api/plans',
    summary: 'Create an empty plan from its header',
    tag: 'plans',
    access: EDITORS,
    body: PlanInfoSchema,
    status: 201,
    audit: 'plan.create',
    handler: ({ body, audit: note }) => {
      note.target = `plans/${body.id}`;
      return plans.createPlan(body);
    },
  });
  api.add({
    method: 'post',
    path: '/api/plans/import',
    summary:
      'Import a whole bangtin-plan/1 document (all or nothing); replaces the plan of the same id',
    tag: 'plans',
    access: EDITORS,
    query: EditQuery,
    audit: 'plan.import',
    handler: async ({ req, res, caller, query, audit: note }) => {
      const result = await plans.importPlan(req.body, editBy(caller, query));
      note.target = `plans/${result.plan.plan.id}`;
      note.details = { replaced: result.replaced, counts: result.plan.counts };
      res.status(result.replaced ? 200 : 201);
      return result;
    },
  });
  api.add({
    method: 'get',
    path: '/api/plans/:planId',
    summary:
      'A whole plan (working copy), with `approval`: the workflow status of each item by kind and id',
    tag: 'plans',
    access: ANY_ROLE,
    params: PlanParams,
    handler: ({ params }) => ({
      ...plans.get(params.planId),
      approval: approvals.planStatus(params.planId),
    }),
  });
  api.add({
    method: 'get',
    path: '/api/plans/:planId/export',
    summary: 'Export a plan as a bangtin-plan/1 file',
    tag: 'plans',
    access: ANY_ROLE,
    params: PlanParams,
    handler: ({ params, res }) => {
      const doc = plans.get(params.planId);
      res.setHeader('content-disposition', `attachment; filename="${doc.plan.id}.json"`);
      return doc;
    },
  });
  api.add({
    method: 'patch',
    path: '/api/plans/:planId',
    summary:
      "Change a plan's header (title, code, issuer, time zone, note); an optional field sent empty is removed",
    tag: 'plans',
    access: EDITORS,
    params: PlanParams,
    body: PlanInfoSchema.partial(),
    audit: 'plan.update',
    handler: ({ params, body, caller, audit: note }) => {
      note.details = fieldsOf(body);
      return plans.updatePlanInfo(params.planId, body, editBy(caller));
    },
  });
  api.add({
    method: 'delete',
    path: '/api/plans/:planId',
    summary: 'Delete a plan (its working copy; releases keep it)',
    tag: 'plans',
    access: EDITORS,
    params: PlanParams,
    status: 204,
    audit: 'plan.delete',
    handler: ({ params, caller }) => plans.deletePlan(params.planId, editBy(caller)),
  });

  for (const kind of ENTITY_KINDS) {
    // One loop serves every kind; the service re-validates the whole plan after each change.
    const schema = ENTITY_SCHEMAS[kind] as unknown as z.ZodType<Record<string, unknown>>;
    const access = KIND_ACCESS[kind];
    const base = `/api/plans/:planId/${kind}`;
    const noun = KIND_NOUN[kind];
    api.add({
      method: 'get',
      path: base,
      summary: `List the ${kind} of a plan`,
      tag: kind,
      access: ANY_ROLE,
      params: PlanParams,
      handler: ({ params }) => plans.listEntities(params.planId, kind),
    });
    api.add({
      method: 'post',
      path: base,
      summary: `Add to the ${kind} of a plan`,
      tag: kind,
      access,
      params: PlanParams,
      query: EditQuery,
      body: schema,
      status: 201,
      audit: `${noun}.create`,
      handler: ({ params, body, caller, query, audit: note }) => {
        if (typeof body.id === 'string') note.target = `plans/${params.planId}/${kind}/${body.id}`;
        return plans.createEntity(params.planId, kind, body as never, editBy(caller, query));
      },
    });
    api.add({
      method: 'get',
      path: `${base}/:id`,
      summary: `One of the ${kind} of a plan`,
      tag: kind,
      access: ANY_ROLE,
      params: EntityParams,
      handler: ({ params }) => plans.getEntity(params.planId, kind, params.id),
    });
    api.add({
      method: 'put',
      path: `${base}/:id`,
      summary: `Replace one of the ${kind} of a plan (the id may be left out of the body)`,
      tag: kind,
      access,
      params: EntityParams,
      query: ChangeQuery,
      body: z.record(z.string(), z.unknown()),
      audit: `${noun}.replace`,
      handler: ({ params, body, caller, query }) => {
        const parsed = schema.safeParse({ id: params.id, ...body });
        if (!parsed.success) {
          throw new ApiError('invalid_request', 'invalid body', problemsIn(parsed.error, '.body'));
        }
        return plans.updateEntity(
          params.planId,
          kind,
          params.id,
          parsed.data,
          'replace',
          editBy(caller, query),
          revisionGuard(kind, query.ifRevision),
        );
      },
    });
    api.add({
      method: 'patch',
      path: `${base}/:id`,
      summary: `Change fields of one of the ${kind} of a plan (the whole plan is re-validated)`,
      tag: kind,
      access,
      params: EntityParams,
      query: ChangeQuery,
      body: z.record(z.string(), z.unknown()),
      audit: `${noun}.update`,
      handler: ({ params, body, caller, query, audit: note }) => {
        note.details = fieldsOf(body);
        return plans.updateEntity(
          params.planId,
          kind,
          params.id,
          body,
          'merge',
          editBy(caller, query),
          revisionGuard(kind, query.ifRevision),
        );
      },
    });
    api.add({
      method: 'delete',
      path: `${base}/:id`,
      summary: `Delete one of the ${kind} of a plan (refused while something refers to it)`,
      tag: kind,
      access,
      params: EntityParams,
      query: ChangeQuery.pick({ ifRevision: true }),
      status: 204,
      audit: `${noun}.delete`,
      handler: ({ params, caller, query }) =>
        plans.deleteEntity(
          params.planId,
          kind,
          params.id,
          editBy(caller),
          revisionGuard(kind, query.ifRevision),
        ),
    });
  }

  // --- releases ---
  api.add({
    method: 'post',
    path: '/api/releases',
    summary:
      'Publish: freeze the approved state as the next numbered release (answers what it withheld)',
    tag: 'releases',
    access: PUBLISHERS,
    body: PublishBody,
    status: 201,
    audit: 'release.publish',
    handler: async ({ caller, body, audit: note }) => {
      const release = await releases.publish(requireCaller(caller).user.id, body?.note);
      note.target = `releases/${release.version}`;
      note.details = {
        hash: release.hash,
        planIds: release.planIds,
        approvers: release.approvers ?? [],
        withheld: release.withheld.length,
        ...(release.note === undefined ? {} : { note: release.note }),
      };
      return release;
    },
  });
  api.add({
    method: 'get',
    path: '/api/releases',
    summary: 'List releases, newest first',
    tag: 'releases',
    access: ANY_ROLE,
    handler: () => releases.list(),
  });
  api.add({
    method: 'get',
    path: '/api/releases/latest',
    summary: 'The latest release with its plans and the banner files they show',
    tag: 'releases',
    access: ANY_ROLE,
    handler: () => {
      const current = releases.current();
      if (!current) throw new ApiError('not_found', 'nothing has been published yet');
      return { ...current.meta, plans: current.plans, assets: current.assets };
    },
  });
  api.add({
    method: 'get',
    path: '/api/releases/:version',
    summary:
      'One release file: its plans, who approved each item and who published it, and what it withheld',
    tag: 'releases',
    access: ANY_ROLE,
    params: ReleaseParams,
    handler: async ({ params }) => {
      if (!releases.list().some((r) => r.version === params.version)) {
        throw new ApiError('not_found', `no release ${params.version}`);
      }
      return releases.readFile(params.version);
    },
  });

  // --- audit ---
  api.add({
    method: 'get',
    path: '/api/audit',
    summary:
      'Audit log entries, newest first; ?outcome=, ?action= (an action or its group) and ?q= (every word) search the whole log, 20,000 entries a request at most; page back with ?before=<nextBefore> (admins and auditors)',
    tag: 'audit',
    access: AUDITORS,
    query: AuditQuery,
    handler: async ({ query }) => {
      const match = auditMatcher({ outcome: query.outcome, action: query.action, text: query.q });
      const page = await audit.page({
        limit: query.limit ?? AUDIT_PAGE_DEFAULT,
        beforeSeq: query.before,
        match,
        scanLimit: match ? AUDIT_SCAN_MAX : undefined,
      });
      return { entries: page.entries, nextBefore: page.nextBefore, scanned: page.scanned };
    },
  });

  // --- boards (across plans) and timelines ---
  api.add({
    method: 'get',
    path: '/api/boards',
    summary: 'Every board of every plan (working copies), with its plan',
    tag: 'boards',
    access: ANY_ROLE,
    query: NoQuery,
    handler: () =>
      store.read().plans.flatMap((p) => p.boards.map((b) => ({ ...b, planId: p.plan.id }))),
  });
  api.add({
    method: 'get',
    path: '/api/boards/:id/timeline',
    summary:
      'What a board plays over [from, to) in the latest release: contiguous segments covering the span',
    tag: 'boards',
    access: ANY_ROLE,
    params: IdParams,
    query: TimelineQuery,
    handler: ({ params, query }) => {
      if (!releases.current()) throw new ApiError('not_found', 'nothing has been published yet');
      const resolver = releases.resolver(params.id);
      if (!resolver)
        throw new ApiError('not_found', `no board "${params.id}" in the latest release`);
      let segments: SegmentMs[];
      try {
        // Stops at the limit: the span is not resolved further than the answer could go.
        segments = resolver.timeline(
          Date.parse(query.from),
          Date.parse(query.to),
          TIMELINE_MAX_SEGMENTS,
        );
      } catch (error) {
        if (!(error instanceof TimelineTooLarge)) throw error;
        throw new ApiError(
          'timeline_too_large',
          `the span holds more than ${String(TIMELINE_MAX_SEGMENTS)} segments; ask for a shorter span`,
        );
      }
      return segments.map(toIsoSegment);
    },
  });

  return api;
}
