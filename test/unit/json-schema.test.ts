import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planJsonSchema } from '../../playlists/json-schema.js';

describe('the published JSON Schema', () => {
  it('is the one generated from the zod schema (run npm run schema after changing plan.ts)', () => {
    const committed: unknown = JSON.parse(
      readFileSync('schemas/bangtin-plan-1.schema.json', 'utf8'),
    );
    expect(committed).toEqual(planJsonSchema());
  });

  it('describes the plan file: required keys, no unknown fields, id pattern', () => {
    const schema = planJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: { boards: { items: { properties: { id: { pattern: string } } } } };
    };
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'plan']));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.boards.items.properties.id.pattern).toBe('^[A-Za-z0-9._-]{1,64}$');
  });
});
