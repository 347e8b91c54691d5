import { z } from 'zod';

/** One figure of a benchmark, measured beside its baseline in the same run. */
export const MetricSchema = z.strictObject({
  /** Stable id, e.g. `M1.p99.5000`. */
  id: z.string().regex(/^M\d+(\.[A-Za-z0-9_-]+)*$/),
  name: z.string().min(1),
  /** null when the run could not measure it (e.g. too few boards ever got there). */
  value: z.number().nullable(),
  unit: z.string().min(1),
  /** The same figure for the baseline, measured in the same run; null when there is none. */
  baseline: z.number().nullable(),
  /** value / baseline; null without a baseline. */
  ratio: z.number().nullable(),
  /** How many samples the figure summarises. */
  n: z.int().nonnegative(),
  /** The target in words (e.g. "≤ 1.5× baseline"); null when the figure is informative only. */
  target: z.string().nullable(),
  /** Whether the target is met; null without a target. */
  pass: z.boolean().nullable(),
  /** Why a target is missed, or what the figure means; optional. */
  note: z.string().optional(),
});
export type Metric = z.infer<typeof MetricSchema>;

export const MachineSchema = z.strictObject({
  cpus: z.int().positive(),
  cpuModel: z.string(),
  memoryMb: z.int().positive(),
  node: z.string(),
  platform: z.string(),
  openFilesLimit: z.int().nullable(),
  /** The 1-minute load average: the machine is shared, so figures are ratios to baselines. */
  loadAverageAtStart: z.number().nonnegative(),
  loadAverageAtEnd: z.number().nonnegative(),
  startedAt: z.string(),
  durationSec: z.number().nonnegative(),
  quick: z.boolean(),
  commit: z.string().nullable(),
});
export type Machine = z.infer<typeof MachineSchema>;

/** The file `npm run bench` writes: `bench/results.json`. */
export const ResultsSchema = z.strictObject({
  machine: MachineSchema,
  metrics: z.array(MetricSchema),
});
export type Results = z.infer<typeof ResultsSchema>;

/** A target a figure is checked against: an absolute bound, a bound on the ratio, or both. */
export interface Target {
  /** value must be ≤ this (same unit as the value). */
  atMost?: number;
  /** value must be ≥ this. */
  atLeast?: number;
  /** value / baseline must be ≤ this. */
  ratioAtMost?: number;
}

function describeTarget(target: Target, unit: string): string {
  const parts: string[] = [];
  if (target.ratioAtMost !== undefined) parts.push(`≤ ${target.ratioAtMost}× baseline`);
  if (target.atMost !== undefined) parts.push(`≤ ${target.atMost} ${unit}`);
  if (target.atLeast !== undefined) parts.push(`≥ ${target.atLeast} ${unit}`);
  return parts.join(' and ');
}

/** Builds a metric, computing ratio and pass from the value, baseline and target. */
export function metric(fields: {
  id: string;
  name: string;
  value: number;
  unit: string;
  baseline?: number | null;
  n: number;
  target?: Target;
  note?: string;
}): Metric {
  const value = Number.isFinite(fields.value) ? fields.value : null;
  const baseline =
    fields.baseline !== undefined && fields.baseline !== null && Number.isFinite(fields.baseline)
      ? fields.baseline
      : null;
  const ratio = baseline !== null && baseline > 0 && value !== null ? value / baseline : null;
  let pass: boolean | null = null;
  const { target } = fields;
  if (target) {
    pass = value !== null;
    if (target.atMost !== undefined && !(value !== null && value <= target.atMost)) pass = false;
    if (target.atLeast !== undefined && !(value !== null && value >= target.atLeast)) pass = false;
    if (target.ratioAtMost !== undefined && !(ratio !== null && ratio <= target.ratioAtMost)) {
      pass = false;
    }
  }
  return MetricSchema.parse({
    id: fields.id,
    name: fields.name,
    value: value === null ? null : round(value),
    unit: fields.unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: ratio === null ? null : round(ratio),
    n: fields.n,
    target: target ? describeTarget(target, fields.unit) : null,
    pass,
    ...(fields.note === undefined ? {} : { note: fields.note }),
  });
}

/** Four significant digits: enough for noisy timings, short in the JSON. */
function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6)));
}

function cell(value: number | null): string {
  if (value === null) return '—';
  return String(value);
}

/** The metrics as a Markdown table (also readable on a terminal). */
export function formatTable(metrics: readonly Metric[]): string {
  const header = ['id', 'metric', 'value', 'unit', 'baseline', 'ratio', 'n', 'target', 'pass'];
  const rows = metrics.map((m) => [
    m.id,
    m.name,
    cell(m.value),
    m.unit,
    cell(m.baseline),
    m.ratio === null ? '—' : `${m.ratio}×`,
    String(m.n),
    m.target ?? '—',
    m.pass === null ? '—' : m.pass ? 'pass' : '**MISS**',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
