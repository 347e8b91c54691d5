import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePlan, timeline, validatePlan } from '../../playlists/index.js';
import { sharedPath } from '../helpers/paths.js';

interface ExampleCase {
  name: string;
  plan: unknown;
  board: string;
  from: string;
  to: string;
  expected: { start: string; end: string; kind: string; content?: string; announcement?: string }[];
}

const examples = JSON.parse(
  readFileSync(sharedPath('examples/timeline-examples.json'), 'utf8'),
) as { cases: ExampleCase[] };

describe('worked examples from shared/examples/timeline-examples.json', () => {
  it('has cases', () => {
    expect(examples.cases.length).toBeGreaterThan(0);
  });
  for (const example of examples.cases) {
    it(example.name, () => {
      const result = validatePlan(example.plan);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      const segments = timeline(
        compilePlan(result.plan),
        example.board,
        Date.parse(example.from),
        Date.parse(example.to),
      );
      const simplified = segments?.map(({ start, end, kind, content, announcement }) => ({
        start,
        end,
        kind,
        ...(content === undefined ? {} : { content }),
        ...(announcement === undefined ? {} : { announcement }),
      }));
      expect(simplified).toEqual(example.expected);
    });
  }
});
