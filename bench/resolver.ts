// M4: the resolver. The timeline of one day of 1-second items (what GET /api/boards/:id/timeline
// computes), and regime lookups at random instants of a plan with 1,000 schedules over five
// years, with the regime index and, for reference, without it.
import {
  BoardResolver,
  compilePlan,
  timeline,
  validatePlan,
  type CompiledPlan,
  type PlanDocumentInput,
} from '../playlists/index.js';
import { serveRequests } from './lib/child.js';
import { CAMPAIGN_SPAN, campaignPlan } from './lib/plans.js';
import { seededRandom } from './lib/random.js';
import { metric, type Metric } from './lib/results.js';
import { monotonicMs, summarize } from './lib/stats.js';

function compile(doc: PlanDocumentInput): CompiledPlan {
  const result = validatePlan(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return compilePlan(result.plan);
}

function oneSecondDay(): { plan: CompiledPlan; fromMs: number; toMs: number } {
  const plan = compile({
    format: 'bangtin-plan/1',
    plan: { id: 'giay', title: 'Một giây', timeZone: 'Asia/Ho_Chi_Minh' },
    phases: [{ id: 'ngay', name: 'Một ngày', from: '2026-03-29', to: '2026-03-29' }],
    boards: [{ id: 'cua-khau', name: 'Cửa khẩu', width: 384, height: 128 }],
    content: [{ id: 'mot-giay', kind: 'slogan', text: 'MỘT GIÂY', durationSec: 1 }],
    playlists: [{ id: 'G', name: 'Một giây', items: ['mot-giay'] }],
    schedules: [{ id: 's', playlist: 'G', phase: 'ngay' }],
  });
  // 2026-03-29 in Asia/Ho_Chi_Minh.
  return { plan, fromMs: Date.UTC(2026, 2, 28, 17), toMs: Date.UTC(2026, 2, 29, 17) };
}

function boardOf(plan: CompiledPlan, id: string) {
  const board = plan.boards.get(id);
  if (!board) throw new Error(`no board ${id}`);
  return board;
}

export function runResolver(options: { quick: boolean }): Metric[] {
  const metrics: Metric[] = [];

  // The timeline of a day of 1-second items: 86,400 segments, as ISO segments (the API's answer).
  const day = oneSecondDay();
  const reps = options.quick ? 3 : 15;
  const iso: number[] = [];
  const raw: number[] = [];
  let segments = 0;
  for (let i = 0; i < reps; i++) {
    let started = monotonicMs();
    segments = timeline(day.plan, 'cua-khau', day.fromMs, day.toMs)?.length ?? 0;
    iso.push(monotonicMs() - started);
    started = monotonicMs();
    new BoardResolver(day.plan, boardOf(day.plan, 'cua-khau')).timeline(day.fromMs, day.toMs);
    raw.push(monotonicMs() - started);
  }
  if (segments !== 86_400) throw new Error(`a day of 1-second items gave ${segments} segments`);
  metrics.push(
    metric({
      id: 'M4.timeline.day',
      name: 'timeline of a day of 1-second items (86,400 ISO segments), median',
      value: summarize(iso).p50,
      unit: 'ms',
      n: reps,
      target: { atMost: 200 },
    }),
    metric({
      id: 'M4.timeline.day.max',
      name: 'the same, slowest run',
      value: summarize(iso).max,
      unit: 'ms',
      n: reps,
    }),
    metric({
      id: 'M4.timeline.day.ms',
      name: 'the same in epoch ms (no ISO strings), median',
      value: summarize(raw).p50,
      unit: 'ms',
      n: reps,
    }),
  );

  // Regime lookups: 1,000 schedules and 200 announcements over 2026–2030, one board.
  const plan = compile(campaignPlan({ schedules: 1000, announcements: 200, seed: 7 }));
  const board = boardOf(plan, 'cua-khau');
  const spanMs = CAMPAIGN_SPAN.toMs - CAMPAIGN_SPAN.fromMs;
  const instants = (seed: number, count: number) => {
    const random = seededRandom(seed);
    return Array.from({ length: count }, () =>
      Math.floor(CAMPAIGN_SPAN.fromMs + random() * spanMs),
    );
  };

  // A fresh resolver (no index yet): the mean includes building every window it needs.
  const lookups = instants(1, options.quick ? 20_000 : 200_000);
  const indexed = new BoardResolver(plan, board);
  let started = monotonicMs();
  let check = 0;
  for (const atMs of lookups) check += indexed.regimeAt(atMs).endMs > atMs ? 1 : 0;
  const indexedMeanUs = ((monotonicMs() - started) * 1000) / lookups.length;
  if (check !== lookups.length) throw new Error('a regime that does not contain its instant');

  // Each lookup timed alone, on a second fresh resolver of a copy of the plan. As many in a
  // quick run: the five years hold about 70 index windows, each built by the first lookup in
  // it (milliseconds), so of 5,000 lookups more than 1 % would be builds and the p99 one of them.
  const single = new BoardResolver(
    compile(campaignPlan({ schedules: 1000, announcements: 200, seed: 7 })),
    board,
  );
  const each = instants(2, 50_000).map((atMs) => {
    const t0 = monotonicMs();
    single.regimeAt(atMs);
    return (monotonicMs() - t0) * 1000;
  });

  const direct = new BoardResolver(plan, board, { indexed: false });
  const directLookups = instants(3, options.quick ? 200 : 2_000);
  started = monotonicMs();
  for (const atMs of directLookups) direct.regimeAt(atMs);
  const directMeanUs = ((monotonicMs() - started) * 1000) / directLookups.length;

  const eachSummary = summarize(each);
  metrics.push(
    metric({
      id: 'M4.lookup.mean',
      name: 'regime lookup, 1,000 schedules over 5 years, mean (index built on the way)',
      value: indexedMeanUs,
      baseline: directMeanUs,
      unit: 'µs',
      n: lookups.length,
      target: { atMost: 50 },
      note: 'baseline: the same lookups without the index (the direct computation)',
    }),
    metric({
      id: 'M4.lookup.p99',
      name: 'regime lookup, each timed alone, p99',
      value: eachSummary.p99,
      unit: 'µs',
      n: each.length,
      target: { atMost: 50 },
    }),
    metric({
      id: 'M4.lookup.max',
      name: 'regime lookup, slowest (one ~25-day index window built)',
      value: eachSummary.max,
      unit: 'µs',
      n: each.length,
    }),
  );
  return metrics;
}

serveRequests(async (body) => {
  const request = body as { quick: boolean };
  return Promise.resolve(runResolver(request));
});
