import { useId } from 'preact/hooks';
import type { Translate } from '../i18n';
import { hmsText, shareText } from './report-format';

/** One group of the chart: a day or a board. */
export interface ChartPoint {
  key: string;
  label: string;
  /** The full label, for the tooltip (a board's whole name). */
  title: string;
  onAirMs: number;
  scheduledMs: number;
  share: number | null;
}

const HOUR_MS = 3_600_000;

/** Round tick steps in hours, so the axis reads 0, 2, 4… or 0, 50, 100…. */
function tickStep(maxHours: number): number {
  const raw = maxHours / 5;
  const steps = [0.25, 0.5, 1, 2, 3, 4, 6, 12, 24, 48, 100, 200, 500, 1000, 2000, 5000, 10_000];
  return steps.find((s) => s >= raw) ?? Math.ceil(raw / 10_000) * 10_000;
}

function numberText(locale: string, n: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);
}

/**
 * Time on air against scheduled time as paired bars, drawn in SVG (no chart library: two bar
 * shapes and an axis). Days stand as columns; boards, whose names are long, as rows.
 */
export function ReportChart(props: {
  points: readonly ChartPoint[];
  orientation: 'columns' | 'rows';
  t: Translate;
  locale: string;
  caption: string;
}) {
  const { t, locale, points } = props;
  const id = useId();
  if (points.every((p) => p.onAirMs === 0 && p.scheduledMs === 0)) {
    // Bare axes from 0 would look like a broken chart: say why there is nothing to draw.
    return (
      <figure class="report-chart" data-testid="report-chart" data-empty="true">
        <p class="hint">{t('reports.chart.empty')}</p>
      </figure>
    );
  }
  const max = Math.max(HOUR_MS / 4, ...points.flatMap((p) => [p.onAirMs, p.scheduledMs]));
  const step = tickStep(max / HOUR_MS);
  const top = Math.ceil(max / HOUR_MS / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const barTitle = (p: ChartPoint) =>
    t('reports.chart.bar', {
      label: p.title,
      onAir: hmsText(p.onAirMs),
      scheduled: hmsText(p.scheduledMs),
      share: shareText(locale, p.share),
    });
  const legend = (
    <g class="chart-legend" aria-hidden="true">
      <rect class="chart-onair" x={0} y={0} width={12} height={12} />
      <text x={18} y={10}>
        {t('reports.chart.onAir')}
      </text>
      <rect class="chart-scheduled" x={150} y={0} width={12} height={12} />
      <text x={168} y={10}>
        {t('reports.chart.scheduled')}
      </text>
    </g>
  );

  if (props.orientation === 'rows') {
    const left = 200;
    const width = 760;
    const plotW = width - left - 20;
    const rowH = 30;
    const height = 40 + points.length * rowH + 30;
    const x = (ms: number) => left + (ms / HOUR_MS / top) * plotW;
    return (
      <figure class="report-chart" data-testid="report-chart" data-orientation="rows">
        <svg
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-desc`}
        >
          <title id={`${id}-title`}>{props.caption}</title>
          <desc id={`${id}-desc`}>{t('reports.chart.desc')}</desc>
          <g transform={`translate(${left}, 8)`}>{legend}</g>
          {ticks.map((h) => (
            <g key={h} class="chart-tick">
              <line x1={x(h * HOUR_MS)} x2={x(h * HOUR_MS)} y1={34} y2={height - 26} />
              <text x={x(h * HOUR_MS)} y={height - 10} text-anchor="middle">
                {numberText(locale, h)}
              </text>
            </g>
          ))}
          <text class="chart-unit" x={width - 20} y={height - 10} text-anchor="end">
            {t('reports.chart.hours')}
          </text>
          {points.map((p, i) => {
            const y = 40 + i * rowH;
            return (
              <g key={p.key} class="chart-group" data-key={p.key}>
                <title>{barTitle(p)}</title>
                <text class="chart-label" x={left - 8} y={y + 15} text-anchor="end">
                  {p.label}
                </text>
                <rect
                  class="chart-scheduled"
                  x={left}
                  y={y + 2}
                  width={Math.max(0, x(p.scheduledMs) - left)}
                  height={11}
                />
                <rect
                  class="chart-onair"
                  x={left}
                  y={y + 13}
                  width={Math.max(0, x(p.onAirMs) - left)}
                  height={11}
                />
              </g>
            );
          })}
        </svg>
      </figure>
    );
  }

  const left = 56;
  const width = 760;
  const height = 280;
  const plotTop = 36;
  const plotBottom = height - 40;
  const plotW = width - left - 12;
  const slot = plotW / Math.max(1, points.length);
  const bar = Math.max(1, Math.min(22, slot * 0.38));
  const y = (ms: number) => plotBottom - (ms / HOUR_MS / top) * (plotBottom - plotTop);
  // Label every n-th group so the labels never overlap (about 52 px each).
  const every = Math.max(1, Math.ceil(52 / slot));
  return (
    <figure class="report-chart" data-testid="report-chart" data-orientation="columns">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
      >
        <title id={`${id}-title`}>{props.caption}</title>
        <desc id={`${id}-desc`}>{t('reports.chart.desc')}</desc>
        <g transform={`translate(${left}, 8)`}>{legend}</g>
        {ticks.map((h) => (
          <g key={h} class="chart-tick">
            <line x1={left} x2={width - 12} y1={y(h * HOUR_MS)} y2={y(h * HOUR_MS)} />
            <text x={left - 6} y={y(h * HOUR_MS) + 4} text-anchor="end">
              {numberText(locale, h)}
            </text>
          </g>
        ))}
        <text class="chart-unit" x={4} y={plotTop - 8}>
          {t('reports.chart.hours')}
        </text>
        {points.map((p, i) => {
          const cx = left + slot * i + slot / 2;
          return (
            <g key={p.key} class="chart-group" data-key={p.key}>
              <title>{barTitle(p)}</title>
              <rect
                class="chart-scheduled"
                x={cx - bar}
                y={y(p.scheduledMs)}
                width={bar}
                height={plotBottom - y(p.scheduledMs)}
              />
              <rect
                class="chart-onair"
                x={cx}
                y={y(p.onAirMs)}
                width={bar}
                height={plotBottom - y(p.onAirMs)}
              />
              {i % every === 0 ? (
                <text class="chart-label" x={cx} y={plotBottom + 16} text-anchor="middle">
                  {p.label}
                </text>
              ) : null}
            </g>
          );
        })}
        <line class="chart-axis" x1={left} x2={width - 12} y1={plotBottom} y2={plotBottom} />
      </svg>
    </figure>
  );
}
