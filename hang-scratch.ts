import { buildPlan, resolverOf, ms } from '/work/main/test/helpers/plan-builder.ts';
const days: string[] = [];
const dim = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
dim.forEach((n, m) => { for (let d = 1; d <= n; d++) days.push(`${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`); });
const mode = process.argv[2];
const doc = buildPlan({ schedules: [{ id: 's', playlist: 'L', from: '2026-03-29', ...(mode === 'to' ? { to: '2030-01-01' } : {}), on: days }] });
const r = resolverOf(doc, 'cua-khau');
console.log(days.length, 'winner', r.winnerAt(ms('2026-04-01T00:00:00Z')).kind);
console.log('regime', r.regimeAt(ms('2026-04-01T00:00:00Z')));
