import type { PlayReport, ReportContentRow, ReportFigures } from './reports.js';

/** Excel reads UTF-8 (and so Vietnamese) only when the file starts with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text that a
 * spreadsheet would take for a formula (= + - @, or a leading tab or carriage return) is
 * prefixed with an apostrophe, so an operator's slogan can never run as one.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole CSV document: BOM, CRLF line ends. */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return `${UTF8_BOM}${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

const KIND_LABEL: Record<ReportContentRow['contentKind'], string> = {
  slogan: 'Khẩu hiệu',
  banner: 'Băng rôn, áp phích',
  announcement: 'Thông báo',
  unknown: 'Không còn trong kế hoạch',
};

export const REPORT_CSV_HEADER = [
  'Mã bảng',
  'Tên bảng',
  'Địa điểm',
  'Loại nội dung',
  'Mã nội dung',
  'Nội dung',
  'Số lượt phát',
  'Thời gian phát (giây)',
  'Thời gian theo lịch (giây)',
  'Thời gian phát đúng lịch (giây)',
  'Tỷ lệ thực hiện (%)',
] as const;

const seconds = (ms: number) => Math.round(ms / 1000);
const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);
const numbers = (f: ReportFigures) => [
  f.plays,
  seconds(f.onAirMs),
  seconds(f.scheduledMs),
  seconds(f.shownScheduledMs),
  percent(f.share),
];

/**
 * The report as a table for a spreadsheet, in Vietnamese: one row per board and content, a
 * subtotal per board and a grand total. Seconds are whole, the share has one decimal.
 */
export function reportCsv(report: PlayReport): string {
  const rows: (string | number | null)[][] = [[...REPORT_CSV_HEADER]];
  for (const board of report.boards) {
    for (const c of board.contents) {
      rows.push([
        board.boardId,
        board.name,
        board.place,
        KIND_LABEL[c.contentKind],
        c.contentId,
        c.title,
        ...numbers(c),
      ]);
    }
    rows.push([board.boardId, board.name, board.place, 'Cộng', null, null, ...numbers(board)]);
  }
  rows.push([
    'Tổng cộng',
    null,
    null,
    null,
    null,
    `Từ ${report.from} đến ${report.to}`,
    ...numbers(report.totals),
  ]);
  return toCsv(rows);
}
