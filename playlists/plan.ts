import { z } from 'zod';

/** The format tag of a plan file. */
export const PLAN_FORMAT = 'bangtin-plan/1';

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY_PATTERN = /^(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})$/;
const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;
const ASSET_PATTERN = /^(?:sha256:[0-9a-f]{64}|[A-Za-z0-9_-][A-Za-z0-9._-]{0,127})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Names of the plan's regular expressions, by their source (`String(regex)`), so a problem can
 * say which format a value missed (`invalid_format` with `format: 'id'`).
 */
export const PATTERN_FORMATS: ReadonlyMap<string, string> = new Map([
  [String(ID_PATTERN), 'id'],
  [String(COLOR_PATTERN), 'color'],
  [String(ASSET_PATTERN), 'asset'],
]);

/** Largest item duration in seconds (design.md: at most 3600). */
export const MAX_DURATION_SEC = 3600;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** True when `text` is a real calendar date written as YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  const m = DATE_PATTERN.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  const max = month === 2 && !isLeapYear(year) ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= max;
}

/** True when `text` is a month and day that exists in some year (02-29 included). */
export function isMonthDay(text: string): boolean {
  const m = MONTH_DAY_PATTERN.exec(text);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Minutes after local midnight for "HH:MM" (24:00 gives 1440), or undefined when malformed. */
export function parseTimeOfDay(text: string): number | undefined {
  const m = TIME_PATTERN.exec(text);
  if (!m) return undefined;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours === 24 && minutes === 0) return 1440;
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}

/**
 * Characters no board, export or report should carry, all invisible: the controls (Unicode's
 * Cc) but tab, line feed and carriage return, and the format characters (Cf): soft hyphen,
 * zero-width spaces and joiners, byte-order mark, and the bidirectional marks, embeddings,
 * overrides and isolates (a right-to-left override turns "HÀ NỘI" into "IỘN ÀH" on screen); and
 * the noncharacters U+FFFE and U+FFFF. Pasted from a word processor they are common, and an
 * editor cannot see them to take them out.
 */
const INVISIBLE = /(?![\t\n\r])[\p{Cc}\p{Cf}\uFFFE\uFFFF]/gu;
/** A surrogate without its other half: not a character, and not valid UTF-8 once written. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as boards show it: NFC, without the invisible characters above, a lone surrogate
 * replaced by U+FFFD. Applied wherever a plan's text is parsed (import, API, CLI, the stored
 * state), so what an approver reads is what a board draws.
 */
export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(INVISIBLE, '').normalize('NFC');
}

const nfcText = (max: number) => z.string().max(max).transform(cleanText);

const nonEmptyText = (max: number) =>
  nfcText(max).refine((s) => s.trim().length > 0, {
    message: 'must not be empty',
    params: { code: 'empty_text' },
  });

/**
 * An id: 1 to 64 characters of `[A-Za-z0-9._-]` (design.md), except `.` and `..` themselves:
 * ids are path segments of the API's routes (`/api/plans/:id/export`), and every HTTP client
 * resolves those two as "this" and "the parent" directory before a request is sent.
 */
export const IdSchema = z
  .string()
  .regex(ID_PATTERN, 'must be 1 to 64 characters of A-Z a-z 0-9 . _ -')
  .refine((s) => s !== '.' && s !== '..', {
    message: 'must not be . or .. (a URL cannot hold them as a path segment)',
    params: { code: 'dot_id' },
  });

// Durations are resolved to the millisecond (resolver.ts's durationMs): any positive number of
// seconds is one, the shortest being 1 ms.
export const DurationSchema = z.number().positive().max(MAX_DURATION_SEC);

/** A local calendar date, YYYY-MM-DD. */
export const DateSchema = z.string().refine(isCalendarDate, {
  message: 'must be a real date YYYY-MM-DD',
  params: { code: 'not_a_date' },
});

const MonthDaySchema = z.string().refine(isMonthDay, {
  message: 'must be a real month-day MM-DD',
  params: { code: 'not_a_month_day' },
});

const TimeFromSchema = z.string().refine((s) => (parseTimeOfDay(s) ?? 1440) < 1440, {
  message: 'must be a time HH:MM from 00:00 to 23:59',
  params: { code: 'not_a_time_from' },
});
const TimeToSchema = z.string().refine((s) => parseTimeOfDay(s) !== undefined, {
  message: 'must be a time HH:MM from 00:01 to 24:00',
  params: { code: 'not_a_time_to' },
});

/** An instant with an explicit offset or Z, e.g. 2021-02-01T19:00:00+07:00. */
export const InstantSchema = z.iso.datetime({ offset: true, local: false });

export const TargetsSchema = z.strictObject({
  all: z.boolean().optional(),
  tags: z.array(IdSchema).max(100).optional(),
  ids: z.array(IdSchema).max(10_000).optional(),
});
export type Targets = z.infer<typeof TargetsSchema>;

export const PlanInfoSchema = z.strictObject({
  id: IdSchema,
  code: nfcText(100).optional(),
  title: nfcText(500),
  issuer: nfcText(500).optional(),
  timeZone: z.string().min(1).max(64),
  note: nfcText(2000).optional(),
});
export type PlanInfo = z.infer<typeof PlanInfoSchema>;

export const PhaseSchema = z.strictObject({
  id: IdSchema,
  name: nfcText(200),
  from: DateSchema,
  to: DateSchema,
  parent: IdSchema.optional(),
  note: nfcText(2000).optional(),
});
export type Phase = z.infer<typeof PhaseSchema>;

export const BoardSchema = z.strictObject({
  id: IdSchema,
  name: nfcText(200),
  tags: z.array(IdSchema).max(50).optional(),
  width: z.int().min(8).max(8192),
  height: z.int().min(8).max(8192),
  place: nfcText(500).optional(),
  idle: z.enum(['clock', 'black']).optional(),
  public: z.boolean().optional(),
});
export type Board = z.infer<typeof BoardSchema>;

export const TextStyleSchema = z.strictObject({
  color: z.string().regex(COLOR_PATTERN, 'must be a colour #rrggbb').optional(),
  background: z.string().regex(COLOR_PATTERN, 'must be a colour #rrggbb').optional(),
  align: z.enum(['left', 'center', 'right']).optional(),
});
export type TextStyle = z.infer<typeof TextStyleSchema>;

export const SloganSchema = z.strictObject({
  id: IdSchema,
  kind: z.literal('slogan'),
  text: nonEmptyText(2000),
  durationSec: DurationSchema.optional(),
  motion: z.enum(['static', 'scroll-left', 'paged']).optional(),
  speedPxPerSec: z.number().positive().max(2000).optional(),
  style: TextStyleSchema.optional(),
});
export type Slogan = z.infer<typeof SloganSchema>;

export const BannerSchema = z.strictObject({
  id: IdSchema,
  kind: z.literal('banner'),
  asset: z.string().regex(ASSET_PATTERN, 'must be a plain file name or sha256:<hex>'),
  durationSec: DurationSchema.optional(),
  fit: z.enum(['contain', 'cover', 'fill', 'none']).optional(),
  style: TextStyleSchema.optional(),
});
export type Banner = z.infer<typeof BannerSchema>;

export const ContentSchema = z.discriminatedUnion('kind', [SloganSchema, BannerSchema]);
export type Content = z.infer<typeof ContentSchema>;

export const PlaylistItemSchema = z.union([
  IdSchema,
  z.strictObject({ content: IdSchema, durationSec: DurationSchema.optional() }),
]);
export type PlaylistItem = z.infer<typeof PlaylistItemSchema>;

export const PlaylistSchema = z.strictObject({
  id: IdSchema,
  name: nfcText(200),
  items: z.array(PlaylistItemSchema).max(1000),
});
export type Playlist = z.infer<typeof PlaylistSchema>;

export const HoursWindowSchema = z.strictObject({ from: TimeFromSchema, to: TimeToSchema });
export type HoursWindow = z.infer<typeof HoursWindowSchema>;

export const ScheduleSchema = z.strictObject({
  id: IdSchema,
  playlist: IdSchema,
  phase: IdSchema.optional(),
  from: DateSchema.optional(),
  to: DateSchema.optional(),
  on: z.array(MonthDaySchema).min(1).max(366).optional(),
  weekdays: z.array(z.int().min(1).max(7)).min(1).max(7).optional(),
  hours: z.array(HoursWindowSchema).min(1).max(48).optional(),
  boards: TargetsSchema.optional(),
  priority: z.int().min(-1000).max(1000).optional(),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

export const AnnouncementSchema = z.strictObject({
  id: IdSchema,
  text: nonEmptyText(2000),
  from: InstantSchema,
  to: InstantSchema,
  boards: TargetsSchema.optional(),
  style: TextStyleSchema.optional(),
});
export type Announcement = z.infer<typeof AnnouncementSchema>;

/** The structure of a `bangtin-plan/1` document; cross-references are checked by validatePlan. */
export const PlanDocumentSchema = z.strictObject({
  format: z.literal(PLAN_FORMAT),
  plan: PlanInfoSchema,
  phases: z.array(PhaseSchema).max(1000).default([]),
  boards: z.array(BoardSchema).max(10_000).default([]),
  content: z.array(ContentSchema).max(10_000).default([]),
  playlists: z.array(PlaylistSchema).max(10_000).default([]),
  schedules: z.array(ScheduleSchema).max(10_000).default([]),
  announcements: z.array(AnnouncementSchema).max(1000).default([]),
});
export type PlanDocument = z.output<typeof PlanDocumentSchema>;
export type PlanDocumentInput = z.input<typeof PlanDocumentSchema>;
