import { z } from 'zod';
import { PLAN_FORMAT, PlanDocumentSchema } from './plan.js';

/** The JSON Schema (draft 2020-12) of a `bangtin-plan/1` file, generated from the zod schema. */
export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PlanDocumentSchema, { io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'https://bangtin.invalid/schemas/bangtin-plan-1.schema.json',
    title: PLAN_FORMAT,
    description:
      'A bangtin propaganda plan: phases, boards, content, playlists, schedules and announcements. ' +
      'Cross-references (ids that must exist, dates in order, sub-phases inside parents) are checked by `bangtin validate`.',
  };
}
