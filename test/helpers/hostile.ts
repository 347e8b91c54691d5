import fc from 'fast-check';
import { readdir, readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { ERROR_STATUS } from '../../controller/http/errors.js';
import { PROBLEM_CODES } from '../../playlists/index.js';

/** An answer read byte for byte. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface RawRequest {
  method: string;
  /** The path and query exactly as they go on the request line (already percent-encoded). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Keep-alive connections for fuzzing; `maxSockets` bounds how many requests run at once. */
export function fuzzAgent(maxSockets = 8): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/**
 * Sends a request with node:http, byte for byte: unlike fetch it neither normalizes dot segments
 * (`/a/%2E%2E/b`) nor refuses a body on GET.
 */
export function sendRaw(baseUrl: string, req: RawRequest, agent?: Agent): Promise<RawResponse> {
  const target = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const headers: Record<string, string> = { ...req.headers };
  if (body !== undefined) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.path,
        headers,
        ...(agent === undefined ? {} : { agent }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The documented error body (OpenAPI `components.responses.Error`), nothing more. */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS]),
    message: z.string().min(1),
    details: z
      .array(
        z.strictObject({
          path: z.string(),
          message: z.string(),
          code: z.enum(PROBLEM_CODES),
          params: z.record(z.string(), z.unknown()),
        }),
      )
      .min(1)
      .optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Why an answer is not a JSON error body of the documented shape, or undefined when it is. */
export function errorBodyProblem(res: RawResponse): string | undefined {
  const type = res.headers['content-type'];
  if (typeof type !== 'string' || !type.startsWith('application/json')) {
    return `content-type ${String(type)}`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.text);
  } catch {
    return 'the body is not JSON';
  }
  const checked = ErrorBodySchema.safeParse(parsed);
  if (!checked.success) return `not the error shape: ${z.prettifyError(checked.error)}`;
  const { code } = checked.data.error;
  // Each code has its status; `invalid_request` also names what the body parser refused (415…).
  if (code !== 'invalid_request' && ERROR_STATUS[code] !== res.status) {
    return `code ${code} with status ${res.status}`;
  }
  return undefined;
}

/** The JSON error body of an answer; throws when it does not have the documented shape. */
export function errorBodyOf(res: RawResponse): ErrorBody {
  const problem = errorBodyProblem(res);
  if (problem !== undefined)
    throw new Error(`${res.status}: ${problem}: ${res.text.slice(0, 300)}`);
  return ErrorBodySchema.parse(JSON.parse(res.text));
}

/** The state document as bytes: what must not change when a request is refused. */
export function stateBytes(dataDir: string): Promise<Buffer> {
  return readFile(path.join(dataDir, 'state.json'));
}

/** Every file under a directory (relative path → bytes); empty when it does not exist. */
export async function snapshotDir(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch {
    return out;
  }
  for (const entry of entries.sort()) {
    try {
      out.set(entry, await readFile(path.join(dir, entry)));
    } catch {
      // A directory.
    }
  }
  return out;
}

/** Percent-encodes every byte outside the unreserved set (lone surrogates become U+FFFD). */
export function encodeSegment(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9._~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Strings that have broken parsers, paths, prototypes and displays before. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\u0000',
  'a\u0000b',
  'x.png\u0000.html',
  '\u202e',
  '\u202egnp.exe',
  'THÔNG BÁO\u202e ỌÁB GNÔHT',
  '\u200b\u200d\ufeff',
  '\ud800',
  '\udfff\ud800',
  '..',
  '.',
  '../',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f',
  '..%2f',
  '%2e%2e/',
  '%252e%252e%252f',
  '..%252f',
  '%c0%ae%c0%ae%c0%af',
  '\uff0e\uff0e\uff0f',
  '%00',
  '%',
  '%zz',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e308',
  '1e309',
  '-1e308',
  '0x1F',
  '9007199254740993',
  'true',
  'null',
  'undefined',
  '[]',
  '{}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  "'; DROP TABLE users; --",
  '${7*7}{{7*7}}',
  'Asia/Ho_Chi_Minh\u0000',
  '2021-02-29',
  '2021-01-25T08:00:00+07:00\u0000',
  '+275760-09-13T00:00:00.000Z',
  'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM',
  'TIẾNG VIỆT DẠNG TÁCH DẤU'.normalize('NFD'),
  '\r\nSet-Cookie: x=1',
];

/** Units a huge string is made of. */
const HUGE_UNITS = ['x', '\u0000', '\u202e', '../', '%2e%2e%2f', 'ệ', '\ud83c\uddfb\ud83c\uddf3'];

/** A string up to `max` characters of one repeated unit (cheap to build, expensive to handle). */
export function hugeString(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...HUGE_UNITS), fc.integer({ min, max }))
    .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
}

/** Hostile strings: the list above, pieces of it joined, arbitrary code units, huge ones. */
export function hostileString(maxHuge = 100_000): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    {
      weight: 3,
      arbitrary: fc
        .array(fc.constantFrom(...HOSTILE_STRINGS), { minLength: 2, maxLength: 5 })
        .map((parts) => parts.join('')),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: hugeString(Math.min(1_000, maxHuge >> 1), maxHuge) },
  );
}

/** Numbers at the edges: -0, 1e308, beyond the safe integers, NaN and ±Infinity (null in JSON). */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    -0,
    0,
    -1,
    0.5,
    1e308,
    -1e308,
    Number.MIN_VALUE,
    2 ** 31,
    2 ** 32,
    2 ** 53 + 2,
    8.64e15 + 1,
    3601,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ),
  fc.double(),
  fc.integer(),
);

/** Object keys that have polluted prototypes or tripped strict schemas. */
export function hostileKey(fieldNames: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'valueOf'),
    ...(fieldNames.length > 0 ? [fc.constantFrom(...fieldNames)] : []),
    fc.constantFrom(...HOSTILE_STRINGS),
  );
}

/** JSON values built from hostile leaves, with hostile keys, a few levels deep. */
export function hostileValue(fieldNames: readonly string[] = []): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    { weight: 4, arbitrary: hostileString(5_000) },
    { weight: 3, arbitrary: hostileNumber },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  const { value } = fc.letrec<{ value: unknown; array: unknown[]; object: object }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(hostileKey(fieldNames), tie('value'), {
      maxKeys: 4,
      noNullPrototype: true,
    }),
  }));
  return value;
}

/** JSON text nested `depth` levels deep: arrays, objects, or both. */
export function deepJson(depth: number, kind: 'array' | 'object' | 'mixed'): string {
  if (kind === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  if (kind === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
}

/** The JSON text of a value; `undefined` (which JSON.stringify leaves out) becomes `null`. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** A copy of an object without one of its keys. */
function without(value: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));
}

/** JSON texts a generic value cannot express: deep nesting, numbers JSON.stringify never writes. */
export function hostileJsonText(fieldNames: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: hostileValue(fieldNames).map(jsonText) },
    { weight: 1, arbitrary: hugeString(10_000, 100_000).map(jsonText) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('array', 'object', 'mixed'))
        .map(([depth, kind]) => deepJson(depth, kind)),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '1e999',
        '-1e999',
        '-0',
        '-0.0',
        '1E+308',
        '123456789012345678901234567890',
        '0.0000000000000000000000000001',
        '"\\ud800"',
        '"\\u0000"',
        '"\\u202e"',
        '{"__proto__":{"role":"admin","isAdmin":true}}',
        '{"constructor":{"prototype":{"polluted":true}}}',
        '[{"__proto__":[]}]',
      ),
    },
  );
}

const MARK = '\u0001HOSTILE\u0001';
const MARK_JSON = JSON.stringify(MARK);

/** `example` with `text` spliced in where `place` puts the marker. */
function splice(example: unknown, place: (value: unknown) => unknown, text: string): string {
  return JSON.stringify(place(example)).replace(MARK_JSON, () => text);
}

/** Body texts that are not valid JSON at all, or JSON that express.json's strict mode refuses. */
function malformedJson(example: unknown): fc.Arbitrary<string> {
  const valid = JSON.stringify(example ?? {});
  return fc.oneof(
    fc.integer({ min: 0, max: Math.max(0, valid.length - 1) }).map((n) => valid.slice(0, n)),
    fc.constantFrom(
      '',
      ' ',
      '{',
      '{"a":}',
      "{'a':1}",
      '{"a":1,}',
      '[1,]',
      '{"a":NaN}',
      '{"a":Infinity}',
      '{"a":undefined}',
      '"just a string"',
      '42',
      'true',
      'null',
      '\ufeff{}',
      `${valid}garbage`,
      `${valid}${valid}`,
      '{"a":"\u0000"}',
      '{"a":1}\u0000',
    ),
  );
}

type Step = string | number;

/** The path of every value inside a JSON value (not the root itself). */
export function valuePaths(value: unknown, prefix: readonly Step[] = []): Step[][] {
  const out: Step[][] = [];
  if (Array.isArray(value)) {
    value.forEach((v: unknown, i) => out.push([...prefix, i], ...valuePaths(v, [...prefix, i])));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push([...prefix, k], ...valuePaths(v, [...prefix, k]));
    }
  }
  return out;
}

/** A copy of `value` with `replacement` at `at`. */
function replaceAt(value: unknown, at: readonly Step[], replacement: unknown): unknown {
  const [step, ...rest] = at;
  if (step === undefined) return replacement;
  if (Array.isArray(value)) {
    return value.map((v: unknown, i) => (i === step ? replaceAt(v, rest, replacement) : v));
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  copy[String(step)] = replaceAt(copy[String(step)], rest, replacement);
  return copy;
}

/** A hostile body: a valid example with one part made hostile, or something else entirely. */
export function hostileBody(example: unknown): fc.Arbitrary<string> {
  const fields =
    typeof example === 'object' && example !== null && !Array.isArray(example)
      ? Object.keys(example)
      : [];
  const text = hostileJsonText(fields);
  const asObject = (e: unknown): Record<string, unknown> =>
    typeof e === 'object' && e !== null && !Array.isArray(e) ? { ...e } : {};
  const variants: fc.Arbitrary<string>[] = [
    text,
    text.map((t) => `[${t}]`),
    malformedJson(example),
    fc.constant(JSON.stringify([example ?? {}])),
    fc
      .tuple(hostileKey(fields), text)
      .map(([key, t]) => splice(example, (e) => ({ ...asObject(e), [key]: MARK }), t)),
  ];
  const paths = valuePaths(example);
  if (paths.length > 0) {
    variants.push(
      fc
        .tuple(fc.constantFrom(...paths), text)
        .map(([at, t]) => splice(example, (e) => replaceAt(e, at, MARK), t)),
    );
  }
  if (fields.length > 0) {
    variants.push(
      fc.constantFrom(...fields).map((field) => {
        return JSON.stringify(without(asObject(example), field));
      }),
    );
  }
  return fc.oneof(...variants);
}

/** Path segments as they go on the request line: encoded hostile text, or raw tricks. */
export function hostileSegment(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: hostileString(200).map(encodeSegment) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E%2E%2F',
        '%2e%2e%2f..%2f',
        '..%2f..%2fstate.json',
        '..%5c..%5c',
        '%252e%252e%252f',
        '%c0%ae%c0%ae',
        '%00',
        '%',
        '%E0%A4%A',
        '%zz',
        'a;b',
        '%3B',
        '%23',
        '%3F',
        '%2F',
        'a%2Fb',
        '%E2%80%AE',
        '__proto__',
        'constructor',
        'prototype',
        'x'.repeat(65),
        '-0',
        '1e308',
        'NaN',
      ),
    },
  );
}

/** A query string (without `?`) of documented and hostile names with hostile values. */
export function hostileQuery(names: readonly string[]): fc.Arbitrary<string> {
  const name = fc.oneof(
    ...(names.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...names) }] : []),
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'a[b]', '__proto__[x]') },
    { weight: 1, arbitrary: hostileString(50) },
  );
  const value = fc.oneof(
    { weight: 4, arbitrary: hostileString(200).map(encodeSegment) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '..%2f', '%252e') },
    { weight: 1, arbitrary: fc.constant('') },
  );
  return fc
    .array(fc.tuple(name, value), { maxLength: 3 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeSegment(k)}=${v}`).join('&'));
}

/** A value nested `depth` levels deep (for socket payloads, which cannot carry raw JSON text). */
export function deepValue(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/**
 * A hostile socket payload: a valid example with one part made hostile, a field removed or a
 * hostile key added, or something else entirely (huge strings, deep nesting, binary).
 */
export function hostilePayload(example: Record<string, unknown>): fc.Arbitrary<unknown> {
  const fields = Object.keys(example);
  const value = hostileValue(fields);
  const paths = valuePaths(example);
  return fc.oneof(
    { weight: 2, arbitrary: value },
    { weight: 1, arbitrary: value.map((v) => [v]) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...paths), value)
        .map(([at, v]) => replaceAt(example, at, v)),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(hostileKey(fields), value).map(([key, v]) => ({ ...example, [key]: v })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...fields).map((field) => without(example, field)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...paths), hugeString(10_000, 100_000))
        .map(([at, s]) => replaceAt(example, at, s)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 10, max: 500 }), fc.constantFrom('array', 'object'))
        .map(([depth, kind]) => deepValue(depth, kind)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined, 0, '', [], {}, true) },
  );
}
