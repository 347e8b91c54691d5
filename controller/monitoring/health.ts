import type { BoardResolver, NowPlaying } from '../../playlists/index.js';
import type { ShownItem } from './protocol.js';

/** What the latest release (or blank-all) says a board must show at `atMs`; null when nothing is published for it. */
export function expectedAt(
  resolver: BoardResolver | undefined,
  atMs: number,
  blankAll: boolean,
): ShownItem | null {
  if (blankAll) return { kind: 'blank', id: '' };
  if (!resolver) return null;
  const segment = resolver.segmentAt(atMs);
  return { kind: segment.kind, id: segment.content ?? segment.announcement ?? '' };
}

/**
 * Everything a board may rightly be showing at `atMs`: what plays anywhere in
 * [atMs - grace, atMs + grace], so a board a little early or late at an item boundary (clock
 * correction, transition, the report's trip) is not called wrong. Null: nothing to judge by.
 */
export function acceptableAround(
  resolver: BoardResolver | undefined,
  atMs: number,
  graceMs: number,
  blankAll: boolean,
): ShownItem[] | null {
  if (blankAll) return [{ kind: 'blank', id: '' }];
  if (!resolver) return null;
  return resolver
    .timeline(atMs - graceMs, atMs + graceMs + 1)
    .map((s) => ({ kind: s.kind, id: s.content ?? s.announcement ?? '' }));
}

/** right, wrong, blanked (by a technician's command: deliberate), or unknown (nothing published). */
export type ContentVerdict = 'right' | 'wrong' | 'blanked' | 'unknown';

/** Judges what a board reports against what it may rightly show. */
export function judgeContent(
  showing: Pick<NowPlaying, 'kind' | 'id'>,
  acceptable: readonly ShownItem[] | null,
): ContentVerdict {
  if (acceptable === null) return 'unknown';
  const fits = acceptable.some((a) => a.kind === showing.kind && a.id === showing.id);
  if (fits) return 'right';
  // The player goes blank on its own only for blank-all (judged above) or a remote command.
  return showing.kind === 'blank' ? 'blanked' : 'wrong';
}

/**
 * judgeContent(showing, acceptableAround(resolver, atMs, graceMs, blankAll)), answered from the
 * segment playing at `atMs` alone when the board shows it (the usual case, for each heartbeat
 * of every board): that segment is always among the acceptable ones.
 */
export function judgeReport(
  showing: Pick<NowPlaying, 'kind' | 'id'>,
  resolver: BoardResolver | undefined,
  atMs: number,
  graceMs: number,
  blankAll: boolean,
): ContentVerdict {
  if (!blankAll && resolver) {
    const now = resolver.segmentAt(atMs);
    if (now.kind === showing.kind && (now.content ?? now.announcement ?? '') === showing.id) {
      return 'right';
    }
  }
  return judgeContent(showing, acceptableAround(resolver, atMs, graceMs, blankAll));
}

/** `kind:id`, for alert values and logs. */
export function describeItem(item: ShownItem | null): string | null {
  return item === null ? null : `${item.kind}:${item.id}`;
}
