// The dashboard checks ids and durations before it sends them (controller/dashboard/components/
// schedule-format.ts), without loading the plan schema: it must take what playlists/plan.ts
// takes and refuse what it refuses, or an operator gets a form that disagrees with the server.
import { withTyped } from '../../controller/dashboard/components/schedule-chips';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidDuration, isValidId } from '../../controller/dashboard/components/schedule-format';
import { DurationSchema, IdSchema } from '../../playlists/plan';

const idChars = fc.constantFrom(...'aZ09._-/ đ'.split(''));

describe('the dashboard’s checks agree with the plan schema', () => {
  it('on ids', () => {
    for (const id of ['.', '..', '...', 'kh..1', 'a', '', 'x'.repeat(64), 'x'.repeat(65)]) {
      expect(isValidId(id), id).toBe(IdSchema.safeParse(id).success);
    }
    fc.assert(
      fc.property(fc.string({ unit: idChars, maxLength: 70 }), (id) => {
        expect(isValidId(id)).toBe(IdSchema.safeParse(id).success);
      }),
      { numRuns: 2000 },
    );
  });

  it('on durations', () => {
    for (const sec of [0, -0, -1, 0.0004, 0.001, 1, 3600, 3600.001, Number.NaN]) {
      expect(isValidDuration(sec), String(sec)).toBe(DurationSchema.safeParse(sec).success);
    }
    fc.assert(
      fc.property(fc.double({ min: -10, max: 4000 }), (sec) => {
        expect(isValidDuration(sec)).toBe(DurationSchema.safeParse(sec).success);
      }),
    );
  });
});

describe('withTyped: what is typed in a chip box and not added yet', () => {
  const upper = (typed: string) =>
    /^[a-z]+$/.test(typed) ? { value: typed.toUpperCase() } : { error: `bad ${typed}` };

  it('adds a valid value, once', () => {
    expect(withTyped(' led ', ['OFFICE'], upper)).toEqual({ values: ['OFFICE', 'LED'] });
    expect(withTyped('led', ['LED'], upper)).toEqual({ values: ['LED'] });
  });

  it('leaves the values as they are when nothing is typed', () => {
    expect(withTyped('  ', ['LED'], upper)).toEqual({ values: ['LED'] });
  });

  it('says why a typed value cannot be added', () => {
    expect(withTyped('l3d', ['LED'], upper)).toEqual({ error: 'bad l3d' });
  });
});
