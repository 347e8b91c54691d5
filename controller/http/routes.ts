import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import {
  PATTERN_FORMATS,
  PROBLEM_CODES,
  problem,
  zodProblems,
  type Problem,
} from '../../playlists/index.js';
import {
  AUDIT_ACTION_PATTERN,
  type AuditActor,
  type AuditDetails,
  type AuditOrigin,
  type AuditOutcome,
} from '../audit/entry.js';
import type { AuditSink } from '../audit/log.js';
import { ASSET_NAME_PATTERN, USERNAME_PATTERN, type Role, type User } from '../state.js';
import { ApiError, type ErrorCode } from './errors.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: nobody needs to log in, or one of these roles. */
export type Access = 'public' | readonly Role[];

/** Every role: any logged-in user. */
export const ANY_ROLE: readonly Role[] = ['admin', 'editor', 'approver', 'technician', 'viewer'];

/** How the caller proved who they are. */
export interface Caller {
  readonly user: User;
  readonly via: 'session' | 'bearer';
  readonly sessionId?: string;
}

/**
 * What a handler may add to the audit entry of its call: by default the actor is the caller
 * and the target the route's path up to its last parameter (`plans/kh-148/content/s1`).
 */
export interface AuditNote {
  actor?: AuditActor;
  target?: string;
  details?: AuditDetails;
}

/** What a handler receives: the parsed, validated parts of the request. */
export interface RouteContext<P, Q, B> {
  readonly req: Request;
  readonly res: Response;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly caller: Caller | undefined;
  readonly audit: AuditNote;
}

/** A documented, validated API route. */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  readonly method: Method;
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  /** Status of a success; 204 sends no body. */
  readonly status?: number;
  readonly responseDescription?: string;
  /** The audit action (`domain.verb`) of a change; every route but a GET must name one. */
  readonly audit?: string;
  /** The action recorded when the call is refused, if not `audit` (a failed login). */
  readonly auditRefused?: string;
  readonly handler: (ctx: RouteContext<P, Q, B>) => unknown;
}

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

/** The formats a request's values may miss, by their pattern: the plan's and the API's own. */
const REQUEST_PATTERN_FORMATS: ReadonlyMap<string, string> = new Map([
  ...PATTERN_FORMATS,
  [String(USERNAME_PATTERN), 'username'],
  [String(ASSET_NAME_PATTERN), 'file_name'],
]);

/** zod's problems with paths inside a part of the request, e.g. `$.body.name`. */
export function problemsIn(error: z.ZodError, where: '.body' | '.query' | '.params'): Problem[] {
  return zodProblems(error, REQUEST_PATTERN_FORMATS).map((p) => ({
    ...p,
    path: p.path.replace(/^\$/, `$${where}`),
  }));
}

function parsePart<T>(
  schema: z.ZodType<T> | undefined,
  value: unknown,
  where: '.body' | '.query' | '.params',
): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ApiError(
    'invalid_request',
    `invalid ${where.slice(1)}`,
    problemsIn(parsed.error, where),
  );
}

/**
 * The parsed JSON body, or a clear refusal of a body sent as something else (a form, text):
 * express.json leaves those unparsed, and the schema alone would say "expected object,
 * received undefined".
 */
function jsonBody(schema: z.ZodType | undefined, req: Request): unknown {
  // req.is: null for a request without a body, false for one of another type.
  if (schema && req.body === undefined && req.is('application/json') === false) {
    const type = (req.get('content-type') ?? '').split(';')[0] ?? '';
    throw new ApiError(
      'invalid_request',
      'send the body as JSON (Content-Type: application/json)',
      [problem('$.body', 'body_not_json', { type }, `sent as ${type}, not application/json`)],
    );
  }
  const at = prototypeKeyPath(req.body);
  if (at !== undefined) {
    throw new ApiError('invalid_request', 'invalid body', [
      problem(`$.body${at}`, 'unknown_field', { field: '__proto__' }, 'unknown field "__proto__"'),
    ]);
  }
  return req.body;
}

/**
 * Where a parsed JSON body has a `__proto__` key, if anywhere. JSON.parse makes it an own
 * property; zod's records drop it silently, so a PATCH of `{"__proto__": …}` answered 200 and
 * changed nothing, where every strict object refuses it. Refused everywhere alike.
 */
function prototypeKeyPath(body: unknown): string | undefined {
  const stack: [unknown, string][] = [[body, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop() ?? [undefined, ''];
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, `${path}[${String(i)}]`]));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (key === '__proto__') return `${path}.__proto__`;
      stack.push([(value as Record<string, unknown>)[key], `${path}.${key}`]);
    }
  }
  return undefined;
}

/** Refusals that are audited: a role that may not do something, a wrong password. */
const AUDITED_REFUSALS: ReadonlySet<ErrorCode> = new Set(['forbidden', 'invalid_credentials']);

/** Where a request came from; `req.ip` honours express's "trust proxy" setting. */
export function requestOrigin(req: Request): AuditOrigin {
  const userAgent = req.get('user-agent');
  return {
    ip: (req.ip ?? req.socket.remoteAddress ?? 'unknown').slice(0, 100),
    ...(userAgent === undefined ? {} : { userAgent: userAgent.slice(0, 300) }),
  };
}

/** The audit actor of a logged-in user. */
export function userActor(user: Pick<User, 'id' | 'username' | 'role'>): AuditActor {
  return { kind: 'user', userId: user.id, username: user.username, role: user.role };
}

/** A route's path up to its last parameter, filled in: `/api/boards/:id/commands` → `boards/led`. */
function defaultTarget(routePath: string, params: unknown): string | undefined {
  const steps = routePath.replace(/^\/api\//, '').split('/');
  const last = steps.findLastIndex((s) => s.startsWith(':'));
  if (last < 0 || typeof params !== 'object' || params === null) return undefined;
  const values = params as Record<string, unknown>;
  const filled = steps.slice(0, last + 1).map((s) => (s.startsWith(':') ? values[s.slice(1)] : s));
  return filled.every((s) => typeof s === 'string') ? filled.join('/') : undefined;
}

function checkAccess(access: Access, caller: Caller | undefined): void {
  if (access === 'public') return;
  if (!caller) throw new ApiError('unauthenticated', 'log in or send a bearer token');
  if (!access.includes(caller.user.role)) {
    throw new ApiError('forbidden', `the ${caller.user.role} role may not do this`);
  }
}

/**
 * Holds the API's routes, mounts them on express, and describes them as OpenAPI. Every call of
 * a route that changes something writes one audit entry when it succeeds, and one when it is
 * refused for the caller's role or a wrong password; reads are not audited.
 */
export class ApiRoutes {
  private readonly routes: RouteSpec[] = [];

  constructor(private readonly auditLog: AuditSink) {}

  /** The routes a role may call, as `METHOD /path`: what the dashboard offers that user. */
  allowedFor(role: Role): string[] {
    return this.routes
      .filter((r) => r.access !== 'public' && r.access.includes(role))
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
  }

  add<P, Q, B>(spec: RouteSpec<P, Q, B>): void {
    const audited = spec.method !== 'get';
    if (audited !== (spec.audit !== undefined)) {
      throw new Error(`${spec.method} ${spec.path}: changes name an audit action, reads do not`);
    }
    for (const action of [spec.audit, spec.auditRefused]) {
      if (action !== undefined && !AUDIT_ACTION_PATTERN.test(action)) {
        throw new Error(`${spec.method} ${spec.path}: bad audit action "${action}"`);
      }
    }
    this.routes.push(spec as unknown as RouteSpec);
  }

  mount(app: Express): void {
    for (const route of this.routes) {
      app[route.method](route.path, async (req: Request, res: Response) => {
        const note: AuditNote = {};
        let result: unknown;
        try {
          checkAccess(route.access, req.caller);
          // A change that could not be audited is not made (a full disk): the entries waiting
          // are tried again first.
          if (route.audit !== undefined && (await this.auditLog.writable?.()) === false) {
            throw new ApiError(
              'audit_unavailable',
              'the audit log cannot be written (is the disk full?): no change is accepted until it can; try again later',
            );
          }
          const params = parsePart(route.params, { ...req.params }, '.params');
          const query = parsePart(route.query, { ...(req.query as object) }, '.query');
          const body = parsePart(route.body, jsonBody(route.body, req), '.body');
          note.target = defaultTarget(route.path, params);
          const ctx = { req, res, params, query, body, caller: req.caller, audit: note };
          result = await route.handler(ctx);
        } catch (error) {
          if (route.audit !== undefined && error instanceof ApiError) {
            if (AUDITED_REFUSALS.has(error.code)) {
              // The refusal stands even if its entry cannot be written (the log reports that).
              await this.record(route, req, note, 'refused', error.code).catch(() => undefined);
            }
          }
          throw error;
        }
        // After the change is durable and before it is acknowledged. An entry that cannot be
        // written is kept and written once it can; the caller hears that the change was made.
        if (route.audit !== undefined) {
          try {
            await this.record(route, req, note, 'ok');
          } catch {
            throw new ApiError(
              'audit_unavailable',
              'the change was made, but the audit log cannot be written (is the disk full?): its entry is kept and written once it can, and no further change is accepted until then',
            );
          }
        }
        if (res.headersSent) return;
        // A handler may choose among success codes itself (an import creates or replaces).
        const status = route.status ?? res.statusCode;
        if (status === 204) res.status(204).end();
        else res.status(status).json(result);
      });
    }
  }

  private async record(
    route: RouteSpec,
    req: Request,
    note: AuditNote,
    outcome: AuditOutcome,
    errorCode?: ErrorCode,
  ): Promise<void> {
    const action = outcome === 'refused' ? (route.auditRefused ?? route.audit) : route.audit;
    if (action === undefined) return;
    const target =
      note.target ?? defaultTarget(route.path, route.params?.safeParse({ ...req.params }).data);
    const details = errorCode === undefined ? note.details : { ...note.details, error: errorCode };
    await this.auditLog.append({
      actor: note.actor ?? (req.caller ? userActor(req.caller.user) : { kind: 'anonymous' }),
      action,
      target,
      outcome,
      details,
      from: requestOrigin(req),
    });
  }

  /** The OpenAPI 3.1 document of every route. */
  openApi(info: { title: string; version: string }): object {
    const paths: Record<string, Record<string, object>> = {};
    for (const route of this.routes) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const parameters: object[] = [];
      for (const name of route.path.match(/:([A-Za-z]+)/g) ?? []) {
        parameters.push({
          name: name.slice(1),
          in: 'path',
          required: true,
          schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
        });
      }
      if (route.query) {
        const schema = z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as {
          properties?: Record<string, object>;
          required?: string[];
        };
        for (const [name, property] of Object.entries(schema.properties ?? {})) {
          parameters.push({
            name,
            in: 'query',
            required: schema.required?.includes(name) ?? false,
            schema: property,
          });
        }
      }
      const status = String(route.status ?? 200);
      const operation: Record<string, unknown> = {
        summary: route.summary,
        tags: [route.tag],
        parameters,
        responses: {
          [status]: { description: route.responseDescription ?? 'Success' },
          '400': { $ref: '#/components/responses/Error' },
          ...(route.access === 'public'
            ? {}
            : {
                '401': { $ref: '#/components/responses/Error' },
                '403': { $ref: '#/components/responses/Error' },
              }),
        },
        security: route.access === 'public' ? [] : [{ session: [] }, { bearer: [] }],
        'x-roles': route.access === 'public' ? [] : route.access,
        ...(route.audit === undefined ? {} : { 'x-audit-action': route.audit }),
      };
      if (route.body) {
        operation.requestBody = {
          required: true,
          content: {
            'application/json': {
              schema: z.toJSONSchema(route.body, { io: 'input', unrepresentable: 'any' }),
            },
          },
        };
      }
      (paths[path] ??= {})[route.method] = operation;
    }
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: '/' }],
      paths,
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'bangtin_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
        responses: {
          Error: {
            description: 'An error: `{ "error": { "code", "message", "details"? } }`',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['error'],
                  properties: {
                    error: {
                      type: 'object',
                      required: ['code', 'message'],
                      properties: {
                        code: { type: 'string' },
                        message: { type: 'string' },
                        details: {
                          type: 'array',
                          description:
                            'Every problem found: where (`path`), why in English (`message`), and the same reason as a stable `code` with its `params`, for clients that say it in another language.',
                          items: {
                            type: 'object',
                            required: ['path', 'message', 'code', 'params'],
                            properties: {
                              path: { type: 'string' },
                              message: { type: 'string' },
                              code: { type: 'string', enum: [...PROBLEM_CODES] },
                              params: { type: 'object' },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
  }
}
