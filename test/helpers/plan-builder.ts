import {
  BoardResolver,
  compilePlan,
  timeline,
  validatePlan,
  type CompiledPlan,
  type PlanDocument,
  type PlanDocumentInput,
} from '../../playlists/index.js';

type ElementOf<T> = NonNullable<T> extends readonly (infer E)[] ? E : never;

export type PhaseInput = ElementOf<PlanDocumentInput['phases']>;
export type BoardInput = ElementOf<PlanDocumentInput['boards']>;
export type ContentInput = ElementOf<PlanDocumentInput['content']>;
export type PlaylistInput = ElementOf<PlanDocumentInput['playlists']>;
export type ScheduleInput = ElementOf<PlanDocumentInput['schedules']>;
export type AnnouncementInput = ElementOf<PlanDocumentInput['announcements']>;

/** What a test states about a plan; everything else comes from the defaults below. */
export interface PlanParts {
  timeZone?: string;
  /** Replaces the default phase dot-1 (2026-03-28..2026-03-30). */
  phases?: PhaseInput[];
  /** Replaces the default boards cua-khau (tag led) and tru-so (tag office). */
  boards?: BoardInput[];
  /** Appended to the default content. */
  content?: ContentInput[];
  /** Appended to the default playlists. */
  playlists?: PlaylistInput[];
  schedules?: ScheduleInput[];
  announcements?: AnnouncementInput[];
}

export const DEFAULT_BOARDS: readonly BoardInput[] = [
  { id: 'cua-khau', name: 'Cửa khẩu quốc tế Bờ Y', tags: ['led'], width: 384, height: 128 },
  { id: 'tru-so', name: 'Trụ sở', tags: ['office'], width: 1920, height: 1080 },
];

/**
 * Content with known durations: c1 10 s, c2 20 s, c3 banner (default 10 s), c4 1800 s,
 * c5 slogan (default 15 s), c7 7 s, c25 1500 s (25 min).
 */
export const DEFAULT_CONTENT: readonly ContentInput[] = [
  { id: 'c1', kind: 'slogan', text: 'NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI', durationSec: 10 },
  { id: 'c2', kind: 'slogan', text: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM', durationSec: 20 },
  { id: 'c3', kind: 'banner', asset: 'co-dang.png' },
  { id: 'c4', kind: 'slogan', text: 'MỪNG ĐẢNG, MỪNG XUÂN', durationSec: 1800 },
  { id: 'c5', kind: 'slogan', text: 'TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC' },
  { id: 'c7', kind: 'slogan', text: 'BẢY GIÂY', durationSec: 7 },
  { id: 'c25', kind: 'slogan', text: 'HAI MƯƠI LĂM PHÚT', durationSec: 1500 },
];

/** Playlists: A = [c1, c2] (30 s), B = [c3 for 15 s], L = [c4] (30 min), M = [c25] (25 min). */
export const DEFAULT_PLAYLISTS: readonly PlaylistInput[] = [
  { id: 'A', name: 'Chính', items: ['c1', 'c2'] },
  { id: 'B', name: 'Buổi sáng', items: [{ content: 'c3', durationSec: 15 }] },
  { id: 'L', name: 'Dài', items: ['c4'] },
  { id: 'M', name: 'Hai mươi lăm phút', items: ['c25'] },
];

export const DEFAULT_PHASES: readonly PhaseInput[] = [
  { id: 'dot-1', name: 'Đợt I', from: '2026-03-28', to: '2026-03-30' },
];

/** A valid `bangtin-plan/1` document (a fresh deep copy each call). */
export function buildPlan(parts: PlanParts = {}): PlanDocumentInput {
  return structuredClone({
    format: 'bangtin-plan/1',
    plan: { id: 'vi-du', title: 'Ví dụ', timeZone: parts.timeZone ?? 'Asia/Ho_Chi_Minh' },
    phases: parts.phases ?? [...DEFAULT_PHASES],
    boards: parts.boards ?? [...DEFAULT_BOARDS],
    content: [...DEFAULT_CONTENT, ...(parts.content ?? [])],
    playlists: [...DEFAULT_PLAYLISTS, ...(parts.playlists ?? [])],
    schedules: parts.schedules ?? [],
    announcements: parts.announcements ?? [],
  });
}

/** The validated document; throws with every problem when it is not valid. */
export function validated(doc: unknown): PlanDocument {
  const result = validatePlan(doc);
  if (!result.ok) throw new Error(`invalid test plan: ${JSON.stringify(result.problems)}`);
  return result.plan;
}

export function compiled(doc: unknown): CompiledPlan {
  return compilePlan(validated(doc));
}

export function resolverOf(doc: unknown, boardId: string): BoardResolver {
  const plan = compiled(doc);
  const board = plan.boards.get(boardId);
  if (!board) throw new Error(`no board ${boardId}`);
  return new BoardResolver(plan, board);
}

/** Epoch milliseconds of an ISO instant; throws on a malformed one. */
export function ms(iso: string): number {
  const value = Date.parse(iso);
  if (!Number.isFinite(value)) throw new Error(`bad instant ${iso}`);
  return value;
}

/** A segment as the worked examples write it: playlist and schedule left out. */
export interface SimpleSegment {
  start: string;
  end: string;
  kind: 'item' | 'announcement' | 'idle';
  content?: string;
  announcement?: string;
}

/** The simplified timeline of `board` over [fromIso, toIso) via validatePlan + compilePlan + timeline. */
export function segmentsOf(
  doc: unknown,
  board: string,
  fromIso: string,
  toIso: string,
): SimpleSegment[] {
  const segments = timeline(compiled(doc), board, ms(fromIso), ms(toIso));
  if (!segments) throw new Error(`no board ${board}`);
  return segments.map(({ start, end, kind, content, announcement }) => ({
    start,
    end,
    kind,
    ...(content === undefined ? {} : { content }),
    ...(announcement === undefined ? {} : { announcement }),
  }));
}

const canonical = (iso: string): string => new Date(ms(iso)).toISOString();

/** An expected item segment. */
export function item(start: string, end: string, content: string): SimpleSegment {
  return { start: canonical(start), end: canonical(end), kind: 'item', content };
}

/** An expected idle segment. */
export function idle(start: string, end: string): SimpleSegment {
  return { start: canonical(start), end: canonical(end), kind: 'idle' };
}

/** An expected announcement segment. */
export function announcement(start: string, end: string, id: string): SimpleSegment {
  return { start: canonical(start), end: canonical(end), kind: 'announcement', announcement: id };
}

/**
 * Expected item segments of a loop that plays `loop` (content id and duration in ms) over and
 * over from `startIso`, written from `fromIso` (a play boundary or inside a play) and clipped at
 * `toIso`: for long stretches whose arithmetic is stated in the test.
 */
export function loopItems(
  loop: readonly (readonly [string, number])[],
  startIso: string,
  fromIso: string,
  toIso: string,
): SimpleSegment[] {
  const out: SimpleSegment[] = [];
  const from = ms(fromIso);
  const to = ms(toIso);
  let at = ms(startIso);
  for (let i = 0; at < to; i = (i + 1) % loop.length) {
    const entry = loop[i];
    if (!entry) throw new Error('empty loop');
    const [content, durationMs] = entry;
    const end = at + durationMs;
    if (end > from) {
      out.push({
        start: new Date(Math.max(at, from)).toISOString(),
        end: new Date(Math.min(end, to)).toISOString(),
        kind: 'item',
        content,
      });
    }
    at = end;
  }
  return out;
}

/**
 * A plan whose one schedule loops two 1 ms slogans (nhanh-1, nhanh-2) on Đợt I for one board
 * of its own and no banner: 86.4 million segments a day, for the timeline's limits.
 */
export function fastPlan(boardId = 'nhanh'): PlanDocumentInput {
  const plan = buildPlan({
    boards: [{ id: boardId, name: 'Bảng nhanh', width: 192, height: 64 }],
    content: [
      { id: 'nhanh-1', kind: 'slogan', text: 'MỘT', durationSec: 0.001 },
      { id: 'nhanh-2', kind: 'slogan', text: 'HAI', durationSec: 0.001 },
    ],
    playlists: [{ id: 'F', name: 'Nhanh', items: ['nhanh-1', 'nhanh-2'] }],
    schedules: [{ id: 'sf', playlist: 'F', phase: 'dot-1' }],
  });
  plan.plan.id = 'nhanh';
  return withoutBanner(plan);
}

/** The default plan (or `plan`) without its banner c3 and playlist B: no file to upload first. */
export function withoutBanner(plan: PlanDocumentInput = buildPlan()): PlanDocumentInput {
  plan.content = plan.content?.filter((c) => c.kind !== 'banner');
  plan.playlists = plan.playlists?.filter((p) => p.id !== 'B');
  return plan;
}
