import {
  compilePlan,
  resolverFor,
  type BoardResolver,
  type SegmentMs,
} from '../../playlists/index.js';
import type { Bundle, PlayRecord } from '../../playlists/protocol.js';
import type { RenderItem } from '../render/types.js';

/** What a board is showing right now. */
export interface Showing {
  readonly kind: 'item' | 'announcement' | 'idle' | 'blank';
  /** Content or announcement id; empty when idle or blank. */
  readonly id: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** Why a board shows black: a technician's command for this board, or an approver's for all. */
export type BlankReason = 'command' | 'all';

/** Where playback sends what it decides. */
export interface PlaybackSink {
  show(item: RenderItem, startedAtMs: number, showing: Showing): void;
  /** A play that ended (or was cut short); kept until the controller acknowledges it. */
  played(record: Omit<PlayRecord, 'id'>): void;
}

/** What the board plays for a segment, in the renderer's terms. */
export function renderItemFor(bundle: Bundle, segment: SegmentMs): RenderItem {
  const { plan } = bundle;
  if (segment.kind === 'announcement') {
    const a = plan.announcements.find((x) => x.id === segment.announcement);
    return a
      ? { kind: 'announcement', id: a.id, text: a.text, ...(a.style ? { style: a.style } : {}) }
      : { kind: 'blank' };
  }
  if (segment.kind === 'idle') {
    return { kind: 'idle', mode: bundle.board.idle ?? 'clock', timeZone: plan.plan.timeZone };
  }
  const content = plan.content.find((c) => c.id === segment.content);
  const durationMs = segment.endMs - segment.startMs;
  if (!content) return { kind: 'blank' };
  if (content.kind === 'slogan') {
    return {
      kind: 'slogan',
      id: content.id,
      text: content.text,
      durationMs,
      ...(content.motion ? { motion: content.motion } : {}),
      ...(content.speedPxPerSec === undefined ? {} : { speedPxPerSec: content.speedPxPerSec }),
      ...(content.style ? { style: content.style } : {}),
    };
  }
  const asset = bundle.assets.find((a) => a.name === content.asset);
  return {
    kind: 'banner',
    id: content.id,
    url: asset?.url ?? '',
    durationMs,
    ...(content.fit ? { fit: content.fit } : {}),
    ...(content.style ? { style: content.style } : {}),
  };
}

/** The items a bundle can show, for preloading banners before a switch. */
export function renderItemsOf(bundle: Bundle): RenderItem[] {
  return bundle.plan.content.map((c) =>
    renderItemFor(bundle, {
      startMs: 0,
      endMs: (c.durationSec ?? 10) * 1000,
      kind: 'item',
      content: c.id,
    }),
  );
}

/**
 * Decides, by the corrected clock and the shared resolver, what the board shows: the exact
 * item at the exact instant, crossing boundaries without the controller. Timers only wake it
 * up; what it shows is always recomputed from the clock.
 */
export class Playback {
  private bundle: Bundle | undefined;
  private resolver: BoardResolver | undefined;
  private current: (Showing & { shownAtMs: number; itemKey: string }) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private safety: ReturnType<typeof setInterval> | undefined;
  private readonly blanks = new Set<BlankReason>();

  constructor(
    private readonly now: () => number,
    private readonly sink: PlaybackSink,
  ) {}

  get showing(): Showing | undefined {
    return this.current;
  }

  get bundleVersion(): number | null {
    return this.bundle?.version ?? null;
  }

  /** Plays a (new) bundle from the position it dictates now. */
  load(bundle: Bundle): void {
    const compiled = compilePlan(bundle.plan);
    const resolver = resolverFor(compiled, bundle.boardId);
    if (!resolver) throw new Error(`the bundle has no board ${bundle.boardId}`);
    this.bundle = bundle;
    this.resolver = resolver;
    this.tick();
    // A safety net for suspended machines and clock corrections; timers are the main path.
    this.safety ??= setInterval(() => {
      this.tick();
    }, 5_000);
  }

  /** Blank or back to normal; each reason is undone on its own (unblanking one board does
   *  not undo an approver's blank-all). */
  setBlank(reason: BlankReason, blank: boolean): void {
    if (blank) this.blanks.add(reason);
    else this.blanks.delete(reason);
    this.tick();
  }

  get blanked(): boolean {
    return this.blanks.size > 0;
  }

  /** Re-evaluates after the clock offset changed. */
  refresh(): void {
    this.tick();
  }

  private tick(): void {
    const bundle = this.bundle;
    const resolver = this.resolver;
    if (!bundle || !resolver) return;
    const now = this.now();
    let showing: Showing;
    let item: RenderItem;
    let startedAtMs: number;
    if (this.blanks.size > 0) {
      showing = { kind: 'blank', id: '', startMs: now, endMs: Number.POSITIVE_INFINITY };
      item = { kind: 'blank' };
      startedAtMs = now;
    } else {
      const segment = resolver.segmentAt(now);
      showing = {
        kind: segment.kind,
        id: segment.content ?? segment.announcement ?? '',
        startMs: segment.startMs,
        endMs: segment.endMs,
      };
      item = renderItemFor(bundle, segment);
      startedAtMs = segment.startMs;
    }
    // A new bundle that leaves the current play as it was (same item, same start, same
    // text) does not interrupt it, so the play is recorded once.
    const itemKey = JSON.stringify(item);
    const same =
      this.current !== undefined &&
      this.current.kind === showing.kind &&
      this.current.id === showing.id &&
      this.current.startMs === showing.startMs &&
      this.current.itemKey === itemKey;
    if (!same) {
      this.closePlay(now);
      this.current = { ...showing, shownAtMs: now, itemKey };
      this.sink.show(item, startedAtMs, showing);
    }
    this.arm(showing.endMs - now);
  }

  private arm(delayMs: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (!Number.isFinite(delayMs)) return;
    // setTimeout holds at most 2^31-1 ms; a longer wait is split, the safety net covers it.
    this.timer = setTimeout(
      () => {
        this.tick();
      },
      Math.min(Math.max(0, delayMs), 2 ** 31 - 1),
    );
  }

  /** Records the play that is ending: from when it was first shown to when it stopped. */
  private closePlay(now: number): void {
    const previous = this.current;
    const bundle = this.bundle;
    if (!previous || !bundle) return;
    if (previous.kind !== 'item' && previous.kind !== 'announcement') return;
    const startMs = Math.max(previous.startMs, previous.shownAtMs);
    const endMs = Math.min(now, previous.endMs);
    if (endMs <= startMs) return;
    this.sink.played({
      boardId: bundle.boardId,
      kind: previous.kind,
      contentId: previous.id,
      startMs,
      endMs,
      releaseVersion: bundle.releaseVersion,
    });
  }

  /** Ends the current play (page closing) and stops the timers. */
  stop(): void {
    this.closePlay(this.now());
    this.current = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.safety !== undefined) clearInterval(this.safety);
    this.timer = undefined;
    this.safety = undefined;
  }
}
