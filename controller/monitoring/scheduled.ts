import type { BoardResolver, LoopItem } from '../../playlists/index.js';

/** Receives scheduled time: a content (`item`) or an announcement, and milliseconds. */
export type ScheduledSink = (kind: 'item' | 'announcement', id: string, ms: number) => void;

/**
 * The time each item of a loop plays in [fromMs, toMs) when the loop started at `loopStartMs`:
 * what the timeline's segments of those items add up to, computed from whole loops and one
 * partial loop at each end instead of segment by segment.
 */
function addLoopTime(
  items: readonly LoopItem[],
  loopStartMs: number,
  fromMs: number,
  toMs: number,
  add: ScheduledSink,
): void {
  let loopMs = 0;
  for (const item of items) loopMs += item.durationMs;
  if (loopMs <= 0 || toMs <= fromMs) return;
  // Time each item played in [loopStartMs, atMs).
  // Time an item at `offsetMs` into the loop played in [loopStartMs, atMs).
  const playedUntil = (atMs: number, offsetMs: number, durationMs: number) => {
    const elapsed = atMs - loopStartMs;
    const loops = Math.floor(elapsed / loopMs);
    const rest = elapsed - loops * loopMs;
    return loops * durationMs + Math.min(durationMs, Math.max(0, rest - offsetMs));
  };
  let offsetMs = 0;
  for (const item of items) {
    const ms =
      playedUntil(toMs, offsetMs, item.durationMs) - playedUntil(fromMs, offsetMs, item.durationMs);
    if (ms > 0) add('item', item.contentId, ms);
    offsetMs += item.durationMs;
  }
}

/**
 * Adds up what a board is scheduled to show over [fromMs, toMs) by the resolver's rules
 * (design.md, rules 4 and 5): per content and per announcement, in milliseconds. Equal to
 * summing the timeline's segments (`GET /api/boards/:id/timeline`), without building them.
 */
export function addScheduledTime(
  resolver: BoardResolver,
  fromMs: number,
  toMs: number,
  add: ScheduledSink,
): void {
  let atMs = fromMs;
  while (atMs < toMs) {
    const regime = resolver.regimeAt(atMs);
    const endMs = Math.min(regime.endMs, toMs);
    const { winner } = regime;
    if (winner.kind === 'announcement') {
      add('announcement', winner.announcement.id, endMs - atMs);
    } else if (winner.kind === 'schedules') {
      const items = winner.schedules.flatMap((s) => s.items);
      addLoopTime(items, regime.startMs, atMs, endMs, add);
    }
    atMs = endMs;
  }
}
