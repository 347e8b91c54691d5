import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainHeartbeat } from '../../controller/players/heartbeat-check.js';
import { HeartbeatSchema } from '../../playlists/index.js';

// The hand check is a shortcut to HeartbeatSchema, never a looser rule: whatever it accepts,
// the schema must accept too (and valid heartbeats should take the shortcut).

const edgeNumber = fc.constantFrom(
  0,
  -0,
  1,
  -1,
  0.5,
  100_000,
  100_001,
  253_402_300_799_999,
  253_402_300_800_000,
  8.64e15,
  8.64e15 + 2,
  -8.64e15,
  -8.64e15 - 2,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
);
const edgeString = fc.constantFrom(
  '',
  'x'.repeat(64),
  'x'.repeat(65),
  'e'.repeat(500),
  'e'.repeat(501),
);
const weird = fc.oneof(
  edgeNumber,
  edgeString,
  fc.constantFrom(null, true, [], {}, 'item', 'blank', 'other', '1'),
  fc.anything(),
  fc.array(fc.string(), { maxLength: 22 }),
  fc.array(fc.oneof(fc.string({ maxLength: 600 }), fc.integer()), { maxLength: 22 }),
);

const version = fc.oneof(fc.constant(null), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));
const ms = fc.integer({ min: 0, max: 253_402_300_799_999 });
const validBeatObject = fc.record({
  nowPlaying: fc.record({
    id: fc.string({ maxLength: 64 }),
    kind: fc.constantFrom('item', 'announcement', 'idle', 'blank'),
    startedAtMs: ms,
    bundleVersion: version,
  }),
  bundleVersion: version,
  uptimeMs: ms,
  clockOffsetMs: fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true }),
  screen: fc.record({
    width: fc.integer({ min: 0, max: 100_000 }),
    height: fc.integer({ min: 0, max: 100_000 }),
  }),
  errors: fc.array(fc.string({ maxLength: 500 }), { maxLength: 20 }),
});

type Json = Record<string, unknown>;
/** As a payload arrives: through JSON (the socket.io parser's JSON.parse). */
const validBeat = validBeatObject.map((beat) => JSON.parse(JSON.stringify(beat)) as Json);
const PATHS = [
  [],
  ['nowPlaying'],
  ['nowPlaying', 'id'],
  ['nowPlaying', 'kind'],
  ['nowPlaying', 'startedAtMs'],
  ['nowPlaying', 'bundleVersion'],
  ['bundleVersion'],
  ['uptimeMs'],
  ['clockOffsetMs'],
  ['screen'],
  ['screen', 'width'],
  ['screen', 'height'],
  ['errors'],
] as const;

/** A valid heartbeat with one place changed: a value replaced, a key removed or added. */
const mutatedBeat = fc
  .tuple(
    validBeat,
    fc.constantFrom(...PATHS),
    fc.constantFrom('replace', 'remove', 'add'),
    weird,
    fc.constantFrom('extra', '__proto__', 'constructor', 'id'),
  )
  .map(([beat, path, how, value, key]) => {
    // Through JSON, as the socket.io parser hands payloads over (an own "__proto__" key too).
    const copy = JSON.parse(JSON.stringify(beat)) as Json;
    let parent: Json = { root: copy };
    let last = 'root';
    for (const step of path) {
      parent = parent[last] as Json;
      last = step;
    }
    if (how === 'replace') parent[last] = value;
    else if (how === 'remove') {
      if (path.length === 0) return value;
      Reflect.deleteProperty(parent, last);
    } else {
      const target = parent[last];
      if (typeof target === 'object' && target !== null) {
        Object.defineProperty(target, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    const text = JSON.stringify(copy.root) as string | undefined;
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  });

describe('plainHeartbeat', () => {
  it('takes the shortcut for every valid heartbeat', () => {
    fc.assert(
      fc.property(validBeat, (beat) => {
        expect(HeartbeatSchema.safeParse(beat).success).toBe(true);
        expect(plainHeartbeat(beat)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('accepts nothing the schema refuses (mutated heartbeats)', () => {
    fc.assert(
      fc.property(mutatedBeat, (value) => {
        if (plainHeartbeat(value)) expect(HeartbeatSchema.safeParse(value).success).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('accepts nothing the schema refuses (anything at all)', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        if (plainHeartbeat(value)) expect(HeartbeatSchema.safeParse(value).success).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('refuses the hostile shapes the schema refuses', () => {
    const beat = {
      nowPlaying: { id: 'c0', kind: 'item', startedAtMs: 1, bundleVersion: 1 },
      bundleVersion: 1,
      uptimeMs: 5,
      clockOffsetMs: 3,
      screen: { width: 384, height: 128 },
      errors: [],
    };
    expect(plainHeartbeat(beat)).toBe(true);
    const text = JSON.stringify(beat);
    const hostile = [
      text.replace('{"nowPlaying"', '{"__proto__":{"x":1},"nowPlaying"'),
      text.replace('"screen":{', '"screen":{"__proto__":null,'),
      text.replace('"errors":[]', '"errors":["a",1]'),
      text.replace(
        '"errors":[]',
        `"errors":${JSON.stringify(Array.from({ length: 21 }, () => 'e'))}`,
      ),
      text.replace('"clockOffsetMs":3', '"clockOffsetMs":1e400'),
      text.replace('"uptimeMs":5', '"uptimeMs":5.5'),
      text.replace('"bundleVersion":1,"uptimeMs"', '"bundleVersion":0,"uptimeMs"'),
      text.replace('"kind":"item"', '"kind":"toString"'),
      text.replace('"id":"c0"', `"id":"${'x'.repeat(65)}"`),
    ];
    // Not from JSON, but refused all the same.
    for (const clockOffsetMs of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(HeartbeatSchema.safeParse({ ...beat, clockOffsetMs }).success).toBe(false);
      expect(plainHeartbeat({ ...beat, clockOffsetMs })).toBe(false);
    }
    for (const json of hostile) {
      const value = JSON.parse(json) as unknown;
      expect(HeartbeatSchema.safeParse(value).success, json).toBe(false);
      expect(plainHeartbeat(value), json).toBe(false);
    }
  });
});
