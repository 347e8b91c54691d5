import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import { zodProblems } from '../../playlists/index.js';
import type { Role, User } from '../state.js';
import { ApiError } from './errors.js';

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

/** What a handler receives: the parsed, validated parts of the request. */
export interface RouteContext<P, Q, B> {
  readonly req: Request;
  readonly res: Response;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly caller: Caller | undefined;
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
  readonly handler: (ctx: RouteContext<P, Q, B>) => unknown;
}

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

/** zod's problems with paths inside a part of the request, e.g. `$.body.name`. */
export function problemsIn(error: z.ZodError, where: '.body' | '.query' | '.params') {
  return zodProblems(error).map((p) => ({
    path: p.path.replace(/^\$/, `$${where}`),
    message: p.message,
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

function checkAccess(access: Access, caller: Caller | undefined): void {
  if (access === 'public') return;
  if (!caller) throw new ApiError('unauthenticated', 'log in or send a bearer token');
  if (!access.includes(caller.user.role)) {
    throw new ApiError('forbidden', `the ${caller.user.role} role may not do this`);
  }
}

/** Holds the API's routes, mounts them on express, and describes them as OpenAPI. */
export class ApiRoutes {
  private readonly routes: RouteSpec[] = [];

  add<P, Q, B>(spec: RouteSpec<P, Q, B>): void {
    this.routes.push(spec as unknown as RouteSpec);
  }

  mount(app: Express): void {
    for (const route of this.routes) {
      app[route.method](route.path, async (req: Request, res: Response) => {
        checkAccess(route.access, req.caller);
        const params = parsePart(route.params, { ...req.params }, '.params');
        const query = parsePart(route.query, { ...(req.query as object) }, '.query');
        const body = parsePart(route.body, req.body, '.body');
        const result = await route.handler({ req, res, params, query, body, caller: req.caller });
        if (res.headersSent) return;
        // A handler may choose among success codes itself (an import creates or replaces).
        const status = route.status ?? res.statusCode;
        if (status === 204) res.status(204).end();
        else res.status(status).json(result);
      });
    }
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
                          items: {
                            type: 'object',
                            properties: { path: { type: 'string' }, message: { type: 'string' } },
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
