import { approveAll, secondApprover } from './approval.js';
import { startTestController, type TestController } from './controller.js';
import type { Http } from './http.js';
import { solidPng } from './png.js';

/** A small plan with one of everything: a public board, a banner, an announcement. */
export const SEED_PLAN = {
  format: 'bangtin-plan/1',
  plan: { id: 'kh-thu', title: 'Kế hoạch thử', timeZone: 'Asia/Ho_Chi_Minh' },
  phases: [{ id: 'dot-1', name: 'Đợt I', from: '2030-01-01', to: '2030-01-10' }],
  boards: [
    { id: 'led', name: 'Cửa khẩu', width: 384, height: 128, tags: ['led'] },
    { id: 'office', name: 'Trụ sở', width: 1920, height: 1080, tags: ['office'] },
    { id: 'portal', name: 'Cổng TTĐT', width: 1200, height: 200, public: true },
  ],
  content: [
    {
      id: 's1',
      kind: 'slogan',
      text: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM',
      durationSec: 10,
    },
    { id: 'b1', kind: 'banner', asset: 'co-dang.png' },
  ],
  playlists: [{ id: 'p1', name: 'Chính', items: ['s1', 'b1'] }],
  schedules: [{ id: 'sc1', playlist: 'p1', phase: 'dot-1' }],
  announcements: [
    {
      id: 'tb1',
      text: 'THÔNG BÁO NHANH',
      from: '2030-01-02T08:00:00+07:00',
      to: '2030-01-02T09:00:00+07:00',
      boards: { all: true },
    },
  ],
};

export const ENTITY_KINDS = [
  'phases',
  'boards',
  'content',
  'playlists',
  'schedules',
  'announcements',
] as const;
export type EntityKindName = (typeof ENTITY_KINDS)[number];

/** Real ids of a seeded controller, to fill the `{params}` of every route. */
export interface SeedIds {
  planId: string;
  entity: Record<EntityKindName, string>;
  boardId: string;
  publicBoardId: string;
  userId: string;
  tokenId: string;
  deviceId: string;
}

export const SEED_IDS: Omit<SeedIds, 'userId' | 'tokenId' | 'deviceId'> = {
  planId: SEED_PLAN.plan.id,
  entity: {
    phases: 'dot-1',
    boards: 'led',
    content: 's1',
    playlists: 'p1',
    schedules: 'sc1',
    announcements: 'tb1',
  },
  boardId: 'led',
  publicBoardId: 'portal',
};

export const BANNER = solidPng(32, 8, [200, 0, 0]);

/** Uploads the seed plan's banner, imports the plan, has a second approver approve it, publishes. */
export async function seedApi(t: TestController, admin: Http): Promise<void> {
  const upload = await fetch(`${t.url}/api/assets?name=co-dang.png`, {
    method: 'POST',
    headers: {
      'content-type': 'image/png',
      cookie: admin.cookieHeader(),
      'x-csrf-token': admin.csrfToken ?? '',
    },
    body: BANNER,
  });
  if (upload.status !== 201) throw new Error(`banner upload: ${upload.status}`);
  const imported = await admin.request('POST', '/api/plans/import', SEED_PLAN);
  if (imported.status !== 201 && imported.status !== 200) {
    throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body)}`);
  }
  await approveAll(await secondApprover(admin), SEED_PLAN.plan.id);
  const published = await admin.request<{ withheld?: unknown[] }>('POST', '/api/releases', {
    note: 'seed',
  });
  if (published.status !== 201 || (published.body.withheld ?? []).length > 0) {
    throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One operation of the OpenAPI document. */
export interface Operation {
  method: Method;
  /** The OpenAPI path, `{param}` style. */
  path: string;
  /** `public`, or the roles `x-roles` lets in. */
  roles: 'public' | readonly string[];
  hasBody: boolean;
  pathParams: readonly string[];
  queryParams: readonly string[];
  /** `METHOD /path`, for test names. */
  key: string;
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        'x-roles': string[];
        security: unknown[];
        requestBody?: unknown;
        parameters: { name: string; in: string }[];
      }
    >
  >;
}

/** Every operation the controller documents at GET /api/openapi.json. */
export async function readOperations(url: string): Promise<Operation[]> {
  const res = await fetch(`${url}/api/openapi.json`);
  if (res.status !== 200) throw new Error(`openapi.json: ${res.status}`);
  const doc = (await res.json()) as OpenApiDoc;
  const out: Operation[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const upper = method.toUpperCase() as Method;
      out.push({
        method: upper,
        path,
        roles: op.security.length === 0 ? 'public' : op['x-roles'],
        hasBody: op.requestBody !== undefined,
        pathParams: op.parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: op.parameters.filter((p) => p.in === 'query').map((p) => p.name),
        key: `${upper} ${path}`,
      });
    }
  }
  return out;
}

/** The operations of a fresh controller, for tests that need the route list before they run. */
export async function documentedOperations(): Promise<Operation[]> {
  const t = await startTestController();
  try {
    return await readOperations(t.url);
  } finally {
    await t.stop();
  }
}

/** The kind of a plan-entity path, if it is one. */
function entityKind(path: string): EntityKindName | undefined {
  const m = /^\/api\/plans\/\{planId\}\/([a-z]+)(?:\/\{id\})?$/.exec(path);
  return ENTITY_KINDS.find((k) => k === m?.[1]);
}

/** The real id each `{param}` of a path stands for; throws for a path it does not know. */
export function realParams(path: string, ids: SeedIds): Record<string, string> {
  const kind = entityKind(path);
  if (kind) return { planId: ids.planId, id: ids.entity[kind] };
  if (path === '/api/plans/{planId}/urgent-announcements/{id}/end') {
    return { planId: ids.planId, id: ids.entity.announcements };
  }
  if (path.startsWith('/api/plans/{planId}')) return { planId: ids.planId };
  if (path === '/api/users/{id}') return { id: ids.userId };
  if (path === '/api/users/{id}/tokens') return { id: ids.userId };
  if (path === '/api/users/{id}/tokens/{tokenId}') return { id: ids.userId, tokenId: ids.tokenId };
  if (path === '/api/releases/{version}') return { version: '1' };
  if (path === '/api/auth/tokens/{id}') return { id: ids.tokenId };
  if (path === '/api/devices/{id}/revoke') return { id: ids.deviceId };
  if (path === '/api/public/boards/{id}/bundle') return { id: ids.publicBoardId };
  if (path.startsWith('/api/boards/{id}/')) return { id: ids.boardId };
  if (!path.includes('{')) return {};
  throw new Error(`no real ids known for ${path}: add them to test/helpers/api-examples.ts`);
}

/** A path with its `{params}` replaced by already-encoded segments. */
export function fillPath(path: string, segments: Record<string, string>): string {
  return path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => {
    const value = segments[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return value;
  });
}

/** A request to send: query string (no `?`) and body. */
export interface ExampleRequest {
  query: string;
  body?: string | Buffer;
  contentType?: string;
}

/** Valid bodies of entity creation (POST) and replacement (PUT, the id left out). */
const NEW_ENTITY: Record<EntityKindName, Record<string, unknown>> = {
  phases: { id: 'dot-2', name: 'Đợt II', from: '2030-02-01', to: '2030-02-10' },
  boards: { id: 'kiosk', name: 'Bảng mới', width: 192, height: 64, tags: ['led'] },
  content: { id: 's9', kind: 'slogan', text: 'MỪNG ĐẢNG, MỪNG XUÂN', durationSec: 15 },
  playlists: { id: 'p9', name: 'Phụ', items: ['s1'] },
  schedules: { id: 'sc9', playlist: 'p1', phase: 'dot-1', priority: 1 },
  announcements: {
    id: 'tb9',
    text: 'THÔNG BÁO MỚI',
    from: '2030-01-03T08:00:00+07:00',
    to: '2030-01-03T09:00:00+07:00',
  },
};
const REPLACED_ENTITY: Record<EntityKindName, Record<string, unknown>> = {
  phases: { name: 'Đợt I (sửa)', from: '2030-01-01', to: '2030-01-10' },
  boards: { name: 'Cửa khẩu (sửa)', width: 384, height: 128, tags: ['led'] },
  content: { kind: 'slogan', text: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM', durationSec: 12 },
  playlists: { name: 'Chính (sửa)', items: ['s1', 'b1'] },
  schedules: { playlist: 'p1', phase: 'dot-1' },
  announcements: {
    text: 'THÔNG BÁO NHANH (sửa)',
    from: '2030-01-02T08:00:00+07:00',
    to: '2030-01-02T09:00:00+07:00',
  },
};
const PATCHED_ENTITY: Record<EntityKindName, Record<string, unknown>> = {
  phases: { name: 'Đợt một' },
  boards: { name: 'Cửa khẩu Bờ Y' },
  content: { durationSec: 11 },
  playlists: { name: 'Chính*' },
  schedules: { priority: 2 },
  announcements: { text: 'THÔNG BÁO (sửa)' },
};

/** The JSON body of a valid request to each operation, or undefined when it takes none. */
export function exampleBody(op: Operation): unknown {
  const kind = entityKind(op.path);
  if (kind) {
    if (op.method === 'POST') return NEW_ENTITY[kind];
    if (op.method === 'PUT') return REPLACED_ENTITY[kind];
    if (op.method === 'PATCH') return PATCHED_ENTITY[kind];
    return undefined;
  }
  switch (op.key) {
    case 'POST /api/auth/login':
      return { username: 'admin', password: 'not-the-password-1' };
    case 'POST /api/auth/password':
      return { currentPassword: 'not-the-password-1', newPassword: 'a-new-password-123' };
    case 'POST /api/auth/tokens':
      return { name: 'script' };
    case 'POST /api/users':
      return { username: 'newcomer', password: 'newcomer-password-1', role: 'viewer' };
    case 'PATCH /api/users/{id}':
      return { displayName: 'Tên mới' };
    case 'POST /api/plans':
      return { id: 'kh-moi', title: 'Kế hoạch mới', timeZone: 'Asia/Ho_Chi_Minh' };
    case 'POST /api/plans/import':
      return { ...SEED_PLAN, plan: { ...SEED_PLAN.plan, title: 'Kế hoạch thử (nhập lại)' } };
    case 'PATCH /api/plans/{planId}':
      return { title: 'Kế hoạch thử (sửa)' };
    case 'POST /api/releases':
      return { note: 'Phát hành' };
    case 'POST /api/pairings/claim':
      return { code: 'ABCD-EFGH', boardId: 'led' };
    case 'POST /api/boards/{id}/commands':
      return { type: 'identify' };
    case 'POST /api/plans/{planId}/approvals/submit':
      return { items: [{ kind: 'content', id: 's1' }] };
    case 'POST /api/plans/{planId}/approvals/approve':
      return { items: [{ kind: 'content', id: 's1', revision: 1 }] };
    case 'POST /api/plans/{planId}/approvals/reject':
      return { items: [{ kind: 'content', id: 's1', revision: 1 }], reason: 'Sai chính tả' };
    case 'PATCH /api/settings':
      return { fourEyes: true };
    case 'POST /api/plans/{planId}/urgent-announcements':
      return { id: 'tbn-khan', text: 'THÔNG BÁO KHẨN', to: '2030-01-05T00:00:00+07:00' };
    case 'POST /api/plans/{planId}/urgent-announcements/{id}/end':
      return {};
    case 'POST /api/boards/blank-all':
      return { confirm: 'BLANK-ALL', reason: 'Kiểm tra' };
    case 'POST /api/boards/unblank-all':
      return { confirm: 'UNBLANK-ALL' };
    default:
      return undefined;
  }
}

/** The query of a valid request, without `?`. */
export function exampleQuery(op: Operation): string {
  switch (op.key) {
    case 'GET /api/boards/{id}/timeline':
      return 'from=2030-01-02T00:00:00Z&to=2030-01-02T01:00:00Z';
    case 'GET /api/audit':
      return 'limit=5';
    case 'GET /api/approvals':
      return 'status=pending';
    case 'POST /api/assets':
      return 'name=banner-2.png';
    default:
      return '';
  }
}

/** A whole valid request to an operation (a banner upload sends PNG bytes). */
export function exampleRequest(op: Operation): ExampleRequest {
  const query = exampleQuery(op);
  if (op.key === 'POST /api/assets') {
    return { query, body: solidPng(16, 4, [0, 90, 200]), contentType: 'image/png' };
  }
  const body = exampleBody(op);
  return body === undefined
    ? { query }
    : { query, body: JSON.stringify(body), contentType: 'application/json' };
}
