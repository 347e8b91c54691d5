import { useI18n } from '../i18n';
import { dayNumber, type Phase } from '../plan-data';

const ROW = 28;
const LABEL = 150;
const WIDTH = 900;

/** Phases and sub-phases as bars on a shared time line, today as a red line. */
export function PhaseTimeline(props: {
  phases: Phase[];
  today: string;
  onPick?: (id: string) => void;
}) {
  const { t } = useI18n();
  const { phases, today } = props;
  if (phases.length === 0) return <p>{t('plans.noPhases')}</p>;
  // Parents first, each followed by its sub-phases.
  const ordered: { phase: Phase; depth: number }[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    for (const p of phases
      .filter((x) => x.parent === parent)
      .sort((a, b) => a.from.localeCompare(b.from))) {
      ordered.push({ phase: p, depth });
      visit(p.id, depth + 1);
    }
  };
  visit(undefined, 0);
  // Phases whose parent is missing would otherwise vanish: show them at the top level.
  for (const p of phases)
    if (!ordered.some((o) => o.phase === p)) ordered.push({ phase: p, depth: 0 });

  const todayDay = dayNumber(today);
  const first = Math.min(...phases.map((p) => dayNumber(p.from)));
  const last = Math.max(...phases.map((p) => dayNumber(p.to) + 1));
  const span = Math.max(1, last - first);
  const x = (day: number) => LABEL + ((day - first) / span) * (WIDTH - LABEL - 10);
  const height = ordered.length * ROW + 30;
  const todayInside = todayDay >= first && todayDay <= last;
  const todayX = x(todayDay);
  const years: number[] = [];
  for (
    let y = Number(phases.reduce((a, p) => (p.from < a ? p.from : a), '9999').slice(0, 4)) + 1;
    ;
    y++
  ) {
    const d = dayNumber(`${y}-01-01`);
    if (d >= last) break;
    years.push(y);
  }
  return (
    <figure class="phase-timeline">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby="phase-timeline-title">
        <title id="phase-timeline-title">{t('plans.timeline')}</title>
        {years.map((y) => (
          <g key={y}>
            <line
              class="tl-year"
              x1={x(dayNumber(`${y}-01-01`))}
              x2={x(dayNumber(`${y}-01-01`))}
              y1={0}
              y2={height - 20}
            />
            <text class="tl-year-label" x={x(dayNumber(`${y}-01-01`)) + 3} y={height - 6}>
              {y}
            </text>
          </g>
        ))}
        {ordered.map(({ phase, depth }, i) => {
          const x0 = x(dayNumber(phase.from));
          const x1 = Math.max(x0 + 2, x(dayNumber(phase.to) + 1));
          const y = i * ROW + 4;
          const active = todayDay >= dayNumber(phase.from) && todayDay <= dayNumber(phase.to);
          return (
            <g
              key={phase.id}
              class={active ? 'tl-phase tl-active' : 'tl-phase'}
              data-phase={phase.id}
            >
              <text class="tl-label" x={4 + depth * 12} y={y + 17}>
                {phase.name.length > 18 ? `${phase.name.slice(0, 18)}…` : phase.name}
              </text>
              <rect
                class={depth > 0 ? 'tl-bar tl-sub' : 'tl-bar'}
                x={x0}
                y={y + 3}
                width={x1 - x0}
                height={ROW - 8}
                rx={3}
                onClick={() => props.onPick?.(phase.id)}
              >
                <title>
                  {phase.name}: {t('plans.dates', { from: phase.from, to: phase.to })}
                </title>
              </rect>
            </g>
          );
        })}
        {todayInside ? (
          <g class="tl-today">
            <line x1={todayX} x2={todayX} y1={0} y2={height - 20} />
            {/* Right of the line in the left half, left of it in the right half: never cut. */}
            <text
              x={todayX > WIDTH / 2 ? todayX - 3 : todayX + 3}
              text-anchor={todayX > WIDTH / 2 ? 'end' : 'start'}
              y={height - 6}
            >
              {t('plans.today', { date: today })}
            </text>
          </g>
        ) : null}
      </svg>
      <figcaption>
        {todayInside
          ? t('plans.today', { date: today })
          : `${t('plans.today', { date: today })} — ${t('plans.dates', { from: phases.reduce((a, p) => (p.from < a ? p.from : a), '9999-12-31'), to: phases.reduce((a, p) => (p.to > a ? p.to : a), '0000-01-01') })}`}
      </figcaption>
    </figure>
  );
}
