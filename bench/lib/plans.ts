import type { PlanDocumentInput } from '../../playlists/index.js';
import { pick, randomInt, seededRandom } from './random.js';

type Schedule = NonNullable<PlanDocumentInput['schedules']>[number];
type Announcement = NonNullable<PlanDocumentInput['announcements']>[number];

const FIRST_DAY_MS = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;
const HOURS = [
  [{ from: '06:00', to: '11:30' }],
  [
    { from: '06:00', to: '11:30' },
    { from: '13:30', to: '22:00' },
  ],
  [{ from: '18:00', to: '23:00' }],
  [{ from: '22:00', to: '02:00' }],
  [{ from: '07:00', to: '24:00' }],
] as const;

function isoDate(dayIndex: number): string {
  return new Date(FIRST_DAY_MS + dayIndex * DAY_MS).toISOString().slice(0, 10);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A province-sized plan for the resolver benchmark: `schedules` campaigns spread over the
 * five years 2026–2030 (a few days to three months each; hours, weekdays, holidays and
 * priorities mixed; some for every board, some by tag), plus urgent announcements.
 */
export function campaignPlan(options: {
  schedules: number;
  announcements: number;
  seed: number;
  timeZone?: string;
}): PlanDocumentInput {
  const random = seededRandom(options.seed);
  const years = 5;
  const spanDays = 365 * years + 1;
  const content = Array.from({ length: 40 }, (_, i) => ({
    id: `c${i}`,
    kind: 'slogan' as const,
    text: `KHẨU HIỆU SỐ ${i}`,
    durationSec: randomInt(random, 5, 60),
  }));
  const playlists = Array.from({ length: 20 }, (_, i) => ({
    id: `p${i}`,
    name: `Danh sách ${i}`,
    items: Array.from({ length: randomInt(random, 1, 6) }, () => pick(random, content).id),
  }));
  const schedules: Schedule[] = Array.from({ length: options.schedules }, (_, i) => {
    const start = randomInt(random, 0, spanDays - 1);
    const length = pick(random, [1, 3, 7, 14, 30, 45, 60, 90]);
    const kind = random();
    const schedule: Schedule = {
      id: `s${i}`,
      playlist: pick(random, playlists).id,
      from: isoDate(start),
      to: isoDate(Math.min(spanDays - 1, start + length - 1)),
      priority: pick(random, [0, 0, 0, 1, 1, 2, 5]),
    };
    if (kind < 0.4)
      schedule.hours = HOURS[randomInt(random, 0, HOURS.length - 1)]?.map((w) => ({ ...w }));
    else if (kind < 0.55) schedule.weekdays = [1, 2, 3, 4, 5];
    else if (kind < 0.6) {
      // A holiday campaign: a few month-days every year over the whole five years.
      schedule.from = isoDate(0);
      schedule.to = isoDate(spanDays - 1);
      const month = randomInt(random, 1, 12);
      schedule.on = [1, 2, 3].map((d) => `${pad(month)}-${pad(d)}`);
    }
    if (random() < 0.3) schedule.boards = { tags: [pick(random, ['led', 'office', 'border'])] };
    return schedule;
  });
  const announcements: Announcement[] = Array.from({ length: options.announcements }, (_, i) => {
    const fromMs = FIRST_DAY_MS + random() * spanDays * DAY_MS;
    const toMs = fromMs + randomInt(random, 10, 240) * 60_000;
    return {
      id: `a${i}`,
      text: `THÔNG BÁO KHẨN ${i}`,
      from: new Date(Math.round(fromMs / 60_000) * 60_000).toISOString(),
      to: new Date(Math.round(toMs / 60_000) * 60_000).toISOString(),
    };
  });
  return {
    format: 'bangtin-plan/1',
    plan: {
      id: 'tinh',
      title: 'Kế hoạch tuyên truyền của tỉnh',
      timeZone: options.timeZone ?? 'Asia/Ho_Chi_Minh',
    },
    boards: [
      { id: 'cua-khau', name: 'Cửa khẩu', tags: ['led', 'border'], width: 384, height: 128 },
      { id: 'tru-so', name: 'Trụ sở', tags: ['office'], width: 1920, height: 1080 },
    ],
    content,
    playlists,
    schedules,
    announcements,
  };
}

/** The five years the campaign plan spans, in epoch milliseconds. */
export const CAMPAIGN_SPAN = { fromMs: FIRST_DAY_MS, toMs: Date.UTC(2031, 0, 1) } as const;

/** Boards per plan in the fleet: one plan per district-sized group of boards. */
export const BOARDS_PER_PLAN = 1000;

/** The id of fleet board `i`. */
export function fleetBoardId(i: number): string {
  return `b${String(i).padStart(5, '0')}`;
}

/** Which announcement round each plan shows: one number for all plans, or one per plan. */
export type Rounds = number | readonly number[];

/**
 * The plans of a fleet of `boards` boards, one plan per thousand: a few slogans, playlists
 * and schedules by tag, as a provincial agency has them. The round changes the text of one
 * announcement for every board of a plan, so a publish gives each of them a new bundle.
 */
export function fleetPlans(boards: number, rounds: Rounds): PlanDocumentInput[] {
  const plans: PlanDocumentInput[] = [];
  for (let first = 0; first < boards; first += BOARDS_PER_PLAN) {
    const p = first / BOARDS_PER_PLAN;
    const round = typeof rounds === 'number' ? rounds : (rounds[p] ?? 0);
    const count = Math.min(BOARDS_PER_PLAN, boards - first);
    plans.push({
      format: 'bangtin-plan/1',
      plan: { id: `huyen-${p}`, title: `Kế hoạch huyện ${p}`, timeZone: 'Asia/Ho_Chi_Minh' },
      // Long enough that the bench finds its boards playing for years to come.
      phases: [{ id: 'nam', name: 'Cả nhiệm kỳ', from: '2026-01-01', to: '2030-12-31' }],
      boards: Array.from({ length: count }, (_, j) => ({
        id: fleetBoardId(first + j),
        name: `Bảng ${first + j}`,
        tags: [j % 3 === 0 ? 'office' : 'led'],
        width: j % 3 === 0 ? 1920 : 384,
        height: j % 3 === 0 ? 1080 : 128,
      })),
      content: Array.from({ length: 8 }, (_, i) => ({
        id: `c${i}`,
        kind: 'slogan' as const,
        text: `NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI ĐẢNG BỘ HUYỆN ${p} — KHẨU HIỆU ${i}`,
        durationSec: 10 + i,
      })),
      playlists: [
        { id: 'chinh', name: 'Chính', items: ['c0', 'c1', 'c2', 'c3'] },
        { id: 'sang', name: 'Buổi sáng', items: ['c4', 'c5'] },
        { id: 'toi', name: 'Buổi tối', items: ['c6', 'c7'] },
      ],
      schedules: [
        { id: 'ca-nam', playlist: 'chinh', phase: 'nam' },
        {
          id: 'sang',
          playlist: 'sang',
          phase: 'nam',
          hours: [{ from: '06:00', to: '09:00' }],
          priority: 1,
        },
        {
          id: 'toi',
          playlist: 'toi',
          phase: 'nam',
          hours: [{ from: '18:00', to: '22:00' }],
          priority: 1,
          boards: { tags: ['led'] },
        },
      ],
      announcements: [
        {
          id: 'khan',
          text: `THÔNG BÁO KHẨN SỐ ${round}: LỊCH CÔNG TÁC TUẦN`,
          from: '2026-06-01T00:00:00+07:00',
          to: '2026-06-02T00:00:00+07:00',
        },
      ],
    });
  }
  return plans;
}
