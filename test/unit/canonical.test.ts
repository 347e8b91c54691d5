// canonicalJson (playlists/canonical.ts) is what slices are hashed and release roots signed
// over, by the controller and by the player: its text must be that of its definition,
// JSON.stringify with every object's keys sorted by a replacer, for any value. It takes a
// faster way (objects already in order are not copied, and JSON.stringify runs without a
// replacer); these properties hold it to the definition.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../playlists/canonical.js';

function definition(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}

/** Both throw, or both give the same text. */
function same(value: unknown): void {
  let expected: string | Error;
  try {
    expected = definition(value);
  } catch (error) {
    expected = error as Error;
  }
  if (expected instanceof Error) expect(() => canonicalJson(value)).toThrow(expected.constructor);
  else expect(canonicalJson(value)).toBe(expected);
}

// Keys that sort unlike their insertion order: integer-like ones (which objects list first,
// in numeric order, and sort() puts in text order), case, non-ASCII, "__proto__".
const key = fc.oneof(
  fc.string(),
  fc.constantFrom('9', '10', '0', '-1', '1.5', 'a', 'B', 'b', 'Đợt', 'dot', '__proto__', 'toJSON'),
);

describe('canonicalJson', () => {
  it('is JSON.stringify with sorted keys, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        same(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('is the same for objects whose keys are in any order, and nested in any way', () => {
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(
          fc.integer(),
          fc.string(),
          fc.boolean(),
          fc.constant(null),
          fc.constant(undefined),
        ),
        fc.array(tie('node')),
        fc.dictionary(key, tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        same(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts objects of a few keys and of many the same way (insertion sort, then sort())', () => {
    fc.assert(
      fc.property(fc.dictionary(key, fc.integer(), { minKeys: 0, maxKeys: 80 }), (value) => {
        same(value);
        same([value, { nested: value }]);
      }),
      { numRuns: 500 },
    );
  });

  it('is the same for values JSON.stringify turns or refuses (dates, maps, typed arrays)', () => {
    fc.assert(
      fc.property(
        fc.anything({
          key,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withNullPrototype: true,
          withObjectString: true,
        }),
        (value) => {
          same(value);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('sorts keys at every level, whatever their order, and keeps arrays in theirs', () => {
    const plan = {
      plan: { title: 'Kế hoạch', id: 'kh' },
      boards: [{ width: 2, id: 'b' }, { id: 'a' }],
    };
    expect(canonicalJson(plan)).toBe(
      '{"boards":[{"id":"b","width":2},{"id":"a"}],"plan":{"id":"kh","title":"Kế hoạch"}}',
    );
    // An own "__proto__" (as JSON.parse makes one) goes the definition's way.
    same(JSON.parse('{"z":1,"__proto__":{"a":2}}'));
    // toJSON's result is sorted too, as the replacer sees it.
    same({ b: 1, a: { toJSON: () => ({ y: 1, x: [{ d: 1, c: 2 }] }) } });
    // Already in order: the same text.
    expect(canonicalJson({ a: [1, { b: 2, c: null }], d: 'x' })).toBe(
      '{"a":[1,{"b":2,"c":null}],"d":"x"}',
    );
  });
});
