// Writes schemas/bangtin-plan-1.schema.json from the zod schema (npm run schema).
import { writeFileSync } from 'node:fs';
import { planJsonSchema } from '../playlists/json-schema.js';

writeFileSync(
  'schemas/bangtin-plan-1.schema.json',
  `${JSON.stringify(planJsonSchema(), null, 2)}\n`,
);
