import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  documentedOperations,
  exampleBody,
  fillPath,
  realParams,
  SEED_IDS,
  SEED_PLAN,
  seedApi,
  type Operation,
  type SeedIds,
} from '../helpers/api-examples.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import {
  deepJson,
  encodeSegment,
  errorBodyProblem,
  fuzzAgent,
  hostileBody,
  hostileNumber,
  hostileQuery,
  hostileSegment,
  hostileString,
  sendRaw,
  stateBytes,
  type RawRequest,
  type RawResponse,
} from '../helpers/hostile.js';

/**
 * Every documented route gets at least 1,000 hostile requests, sent by an admin (so no answer is
 * an authorization refusal hiding a validation bug), 8 at a time.
 *
 * What must hold: no 5xx; every 4xx carries the documented JSON error body; and a refused
 * request changes nothing. The generators are hostile but not invalid by construction (a
 * mutated body can still be valid, and then the change is legitimate), so the state is compared
 * around refused requests only: a batch whose answers are all refusals must leave state.json
 * byte-identical; when a batch holds a success, each refused request in it is sent again on its
 * own between two reads of the state. A read (GET) must never change the state at all.
 */
/** Fixed so that runs repeat; FUZZ_SEED=<n> explores other inputs (pin what it finds). */
const SEED = Number(process.env.FUZZ_SEED ?? 4242);
const BATCH = 8;
const RUNS = Math.ceil(1000 / BATCH);

const operations = await documentedOperations();

const CONTENT_TYPES = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-16',
      'application/json; charset=koi8-r',
      'multipart/form-data',
      'application/xml',
      'image/png',
    ),
  },
);

/** Query values that look like numbers to a lenient parser. */
const NUMBERISH = fc.oneof(
  fc.constantFrom('1', '500', '501', '0', '-1', '-0', '1e3', '0x10', '00001', '1.5', '+1', ' 1'),
  fc.constant('9'.repeat(16)),
  hostileNumber.map(String),
);

/** Instants: well formed (a span of any length, either order) or hostile. */
const INSTANT = fc.oneof(
  fc
    .date({
      min: new Date('2029-12-20T00:00:00Z'),
      max: new Date('2030-01-20T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  hostileString(200),
);

function queryArb(op: Operation): fc.Arbitrary<string> {
  const names = op.queryParams;
  if (op.key === 'GET /api/boards/{id}/timeline') {
    return fc.oneof(
      fc
        .tuple(INSTANT, INSTANT)
        .map(([from, to]) => `from=${encodeSegment(from)}&to=${encodeSegment(to)}`),
      hostileQuery(names),
    );
  }
  if (op.key === 'GET /api/audit') {
    return fc.oneof(
      fc
        .tuple(NUMBERISH, NUMBERISH)
        .map(([limit, before]) => `limit=${encodeSegment(limit)}&before=${encodeSegment(before)}`),
      hostileQuery(names),
    );
  }
  if (names.length > 0) return hostileQuery(names);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: hostileQuery([]) },
  );
}

function bodyArb(op: Operation): fc.Arbitrary<{ body?: string | Buffer; contentType: string }> {
  if (op.key === 'POST /api/assets') {
    const bytes = fc
      .tuple(fc.boolean(), fc.uint8Array({ maxLength: 4096 }))
      .map(([png, rest]) =>
        Buffer.concat([
          png ? Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) : Buffer.alloc(0),
          rest,
        ]),
      );
    return fc.oneof(
      fc
        .tuple(bytes, fc.constantFrom('image/png', 'image/webp', 'application/octet-stream'))
        .map(([body, contentType]) => ({ body, contentType })),
      fc
        .tuple(hostileBody({}), CONTENT_TYPES)
        .map(([body, contentType]) => ({ body, contentType })),
    );
  }
  const example = exampleBody(op);
  const takesBody = op.hasBody || example !== undefined;
  const hostile = fc
    .tuple(hostileBody(example), CONTENT_TYPES)
    .map(([body, contentType]) => ({ body, contentType }));
  if (takesBody) return hostile;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({ contentType: '' }) },
    { weight: 1, arbitrary: hostile },
  );
}

function requestArb(op: Operation, ids: SeedIds): fc.Arbitrary<RawRequest> {
  const real = realParams(op.path, ids);
  // A delete with the real ids has nothing left to fuzz (it takes no body): its ids are hostile.
  const segment = (name: string) =>
    op.method === 'DELETE'
      ? hostileSegment()
      : fc.oneof(
          { weight: 1, arbitrary: fc.constant(encodeSegment(real[name] ?? '')) },
          { weight: 1, arbitrary: hostileSegment() },
        );
  const params = fc
    .tuple(...op.pathParams.map(segment))
    .map((values) => Object.fromEntries(op.pathParams.map((n, i) => [n, values[i] ?? ''])));
  return fc.tuple(params, queryArb(op), bodyArb(op)).map(([p, query, { body, contentType }]) => {
    const headers: Record<string, string> =
      contentType === '' ? {} : { 'content-type': contentType };
    return {
      method: op.method,
      path: fillPath(op.path, p) + (query === '' ? '' : `?${query}`),
      headers,
      ...(body === undefined ? {} : { body }),
    };
  });
}

function describeRequest(req: RawRequest): string {
  const body = req.body === undefined ? '' : ` body ${String(req.body).slice(0, 300)}`;
  return `${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers)}${body}`;
}

/** Why an answer breaks the contract, if it does. */
function answerProblem(res: RawResponse): string | undefined {
  if (res.status >= 500 || res.status < 200)
    return `status ${res.status}: ${res.text.slice(0, 300)}`;
  if (res.status >= 400) return errorBodyProblem(res);
  return undefined;
}

describe('HTTP fuzzing: hostile input on every documented route', () => {
  let t: TestController;
  let admin: Http;
  let ids: SeedIds;
  const agent = fuzzAgent(BATCH);
  const headers: Record<string, string> = {};
  const report: string[] = [];

  async function send(req: RawRequest): Promise<RawResponse> {
    return sendRaw(t.url, { ...req, headers: { ...req.headers, ...headers } }, agent);
  }

  /** The checks of one batch; returns how many answers were successes. */
  async function checkBatch(op: Operation, batch: RawRequest[]): Promise<number> {
    const before = await stateBytes(t.dataDir);
    const answers = await Promise.all(batch.map(send));
    const after = await stateBytes(t.dataDir);
    answers.forEach((res, i) => {
      const problem = answerProblem(res);
      if (problem !== undefined) {
        throw new Error(
          `${problem}\n  for ${describeRequest(batch[i] ?? { method: '', path: '' })}`,
        );
      }
    });
    const succeeded = answers.filter((r) => r.status < 400).length;
    if (op.method === 'GET' || succeeded === 0) {
      if (!before.equals(after)) {
        throw new Error(
          `state.json changed by a ${op.method === 'GET' ? 'read' : 'refused batch'}`,
        );
      }
      return succeeded;
    }
    // A success may change the state: check each refused request alone.
    for (const [i, res] of answers.entries()) {
      const req = batch[i];
      if (res.status < 400 || req === undefined) continue;
      const alone = await stateBytes(t.dataDir);
      const again = await send(req);
      const problem = answerProblem(again);
      if (problem !== undefined) throw new Error(`${problem}\n  for ${describeRequest(req)}`);
      if (again.status >= 400 && !alone.equals(await stateBytes(t.dataDir))) {
        throw new Error(`state.json changed by a refused request: ${describeRequest(req)}`);
      }
    }
    return succeeded;
  }

  beforeAll(async () => {
    // Failed logins must reach the validator rather than the rate limiter.
    t = await startTestController({ loginAttempts: 1_000_000, loginDelayAfter: 1_000_000 });
    admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    await seedApi(t, admin);
    const victim = await admin.request<{ id: string }>('POST', '/api/users', {
      username: 'victim',
      password: 'victim-password-1',
      role: 'editor',
    });
    const spare = await admin.request<{ id: string }>('POST', '/api/auth/tokens', {
      name: 'spare',
    });
    const mine = await admin.request<{ token: string }>('POST', '/api/auth/tokens', {
      name: 'fuzz',
    });
    headers.authorization = `Bearer ${mine.body.token}`;
    ids = { ...SEED_IDS, userId: victim.body.id, tokenId: spare.body.id, deviceId: 'dev-none' };
  });
  afterAll(async () => {
    agent.destroy();
    await t.stop();
    if (process.env.FUZZ_REPORT === '1') console.log(report.join('\n'));
  });

  it('covers every documented route', () => {
    expect(operations.length).toBeGreaterThanOrEqual(60);
  });

  for (const op of operations) {
    it(`${op.key}: ${BATCH * RUNS} hostile requests, no 5xx, documented errors, refusals change nothing`, async () => {
      // Each route starts from the seed plan, whatever an earlier route's successes changed.
      expect((await admin.request('POST', '/api/plans/import', SEED_PLAN)).status).toBeLessThan(
        300,
      );
      const started = Date.now();
      let sent = 0;
      let succeeded = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(requestArb(op, ids), { minLength: BATCH, maxLength: BATCH }),
          async (batch) => {
            sent += batch.length;
            succeeded += await checkBatch(op, batch);
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      expect(sent).toBeGreaterThanOrEqual(1000);
      expect((await sendRaw(t.url, { method: 'GET', path: '/api/health' })).status).toBe(200);
      report.push(`${op.key}: ${sent} sent, ${succeeded} 2xx, ${Date.now() - started} ms`);
    }, 180_000);
  }

  // Pinned from the fuzzer (FUZZ_SEED=2, POST /api/plans/import, shrunk): a plan whose `format`
  // is an object/array nest 2,057 levels deep (26 kB, far below the 5 MB body limit). express
  // parses it; the plan validator then quotes the unknown format with JSON.stringify, which
  // recurses and overflows the stack: a 500 instead of a 400.
  it('pinned: an import whose format is nested 2,057 levels deep is refused with 400, not 500', async () => {
    const body = JSON.stringify({ ...SEED_PLAN, format: '@' }).replace(
      '"@"',
      deepJson(2057, 'mixed'),
    );
    const before = await stateBytes(t.dataDir);
    const res = await send({
      method: 'POST',
      path: '/api/plans/import',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status, res.text.slice(0, 300)).toBe(400);
    expect(errorBodyProblem(res)).toBeUndefined();
    expect((await stateBytes(t.dataDir)).equals(before)).toBe(true);
  });

  // Pinned from the fuzzer (seed 4242, first batch of its route): while the approval workflow was
  // being built, reading release 1 answered 500, because the release file carried a field
  // (`planIds`) that the strict release-file schema refused.
  it('pinned: GET /api/releases/1 answers the published release, never a 500', async () => {
    const res = await send({
      method: 'GET',
      path: '/api/releases/1',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ version: 1 });
  });

  it('a request line beyond Node’s header limit is cut off by Node (431) before express', async () => {
    // Not an express answer, so no JSON body: the only 4xx without one. Nothing changes.
    const before = await stateBytes(t.dataDir);
    const res = await send({ method: 'GET', path: `/api/plans/${'x'.repeat(100_000)}` });
    expect(res.status).toBe(431);
    expect((await stateBytes(t.dataDir)).equals(before)).toBe(true);
  });
});
