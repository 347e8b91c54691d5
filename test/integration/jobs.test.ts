import schedule from 'node-schedule';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DomainEventOf } from '../../controller/events.js';
import { simulatedClock } from '../../controller/clock.js';
import {
  clockScheduler,
  nodeScheduler,
  type JobScheduler,
} from '../../controller/jobs/regime-jobs.js';
import { approveAndPublish } from '../helpers/approval.js';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';

/** A scheduler that only records what is armed; the test fires jobs itself. */
class RecordingScheduler implements JobScheduler {
  armed: { at: Date; run: () => void; cancelled: boolean }[] = [];
  schedule(at: Date, run: () => void) {
    const job = { at, run, cancelled: false };
    this.armed.push(job);
    return {
      cancel: () => {
        job.cancelled = true;
      },
    };
  }
  live() {
    return this.armed.filter((j) => !j.cancelled);
  }
}

const plan = {
  format: 'bangtin-plan/1',
  plan: { id: 'jobs', title: 'Jobs', timeZone: 'Asia/Ho_Chi_Minh' },
  phases: [{ id: 'dot-1', name: 'Đợt I', from: '2030-03-01', to: '2030-03-31' }],
  boards: [
    { id: 'led', name: 'LED', width: 384, height: 128, tags: ['led'] },
    { id: 'office', name: 'Office', width: 1920, height: 1080, tags: ['office'] },
  ],
  content: [{ id: 'c1', kind: 'slogan', text: 'MỪNG ĐẢNG, MỪNG XUÂN' }],
  playlists: [{ id: 'p', name: 'P', items: ['c1'] }],
  schedules: [
    {
      id: 'day',
      playlist: 'p',
      phase: 'dot-1',
      hours: [{ from: '06:00', to: '22:00' }],
      boards: { tags: ['led'] },
    },
    { id: 'all', playlist: 'p', phase: 'dot-1', boards: { tags: ['office'] } },
  ],
  announcements: [
    {
      id: 'tb',
      text: 'THÔNG BÁO',
      from: '2030-03-01T12:00:00+07:00',
      to: '2030-03-01T12:30:00+07:00',
      boards: { ids: ['office'] },
    },
  ],
};

/**
 * Runs `body` on a controller whose clock starts on 2030-02-20 (set it with `setNow`), with
 * `doc` imported, approved and published, and stops it after.
 */
async function withPublished(
  doc: unknown,
  body: (ctx: {
    t: TestController;
    scheduler: RecordingScheduler;
    setNow: (ms: number) => void;
  }) => void | Promise<void>,
): Promise<void> {
  let nowMs = Date.parse('2030-02-20T00:00:00Z');
  const scheduler = new RecordingScheduler();
  const t = await startTestController({ clock: { now: () => nowMs }, scheduler });
  try {
    const admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
    expect((await admin.request('POST', '/api/plans/import', doc)).status).toBe(201);
    expect((await approveAndPublish(admin)).status).toBe(201);
    await body({
      t,
      scheduler,
      setNow: (ms) => {
        nowMs = ms;
      },
    });
  } finally {
    await t.stop();
  }
}

describe('regime jobs', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('arms one job at the next regime change of any board, fires typed events and re-arms', async () => {
    let nowMs = Date.parse('2030-02-20T00:00:00Z');
    const scheduler = new RecordingScheduler();
    const t = await startTestController({ clock: { now: () => nowMs }, scheduler });
    try {
      const events: DomainEventOf<'regime:changed'>[] = [];
      t.controller.events.on('regime:changed', (e) => events.push(e));
      const admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
      expect((await admin.request('POST', '/api/plans/import', plan)).status).toBe(201);
      expect(scheduler.live()).toHaveLength(0);
      expect((await approveAndPublish(admin)).status).toBe(201);

      // Published: armed at the phase start, 2030-03-01 00:00 local (+07:00) = 02-28 17:00Z (office).
      const expected = [
        ['2030-02-28T17:00:00.000Z', ['office']],
        ['2030-02-28T23:00:00.000Z', ['led']], // 06:00 local
        ['2030-03-01T05:00:00.000Z', ['office']], // announcement starts, 12:00 local
        ['2030-03-01T05:30:00.000Z', ['office']], // and ends
        ['2030-03-01T15:00:00.000Z', ['led']], // 22:00 local
        ['2030-03-01T23:00:00.000Z', ['led']],
      ] as const;
      for (const [at, boards] of expected) {
        const live = scheduler.live();
        expect(live).toHaveLength(1);
        const job = live[0];
        if (!job) throw new Error('no job armed');
        expect(job.at.toISOString()).toBe(at);
        events.length = 0;
        nowMs = job.at.getTime();
        job.run();
        expect(events.map((e) => e.boardId).sort()).toEqual([...boards]);
        expect(events.every((e) => e.atMs === nowMs && e.releaseVersion === 1)).toBe(true);
      }
      const winners = events.map((e) => e.winner);
      expect(winners).toEqual(['s:day']);
    } finally {
      await t.stop();
    }
  });

  it('finds the next change of any board by asking one board of each group with the same regimes', async () => {
    const many = {
      ...plan,
      boards: [
        ...plan.boards,
        { id: 'led-2', name: 'LED 2', width: 384, height: 128, tags: ['led'] },
        { id: 'led-3', name: 'LED 3', width: 192, height: 64, tags: ['led', 'border'] },
        { id: 'office-2', name: 'Office 2', width: 1920, height: 1080, tags: ['office'] },
        { id: 'both', name: 'Both', width: 1920, height: 1080, tags: ['led', 'office'] },
      ],
    };
    await withPublished(many, ({ t }) => {
      const { releases, jobs } = t.controller;

      // led, led-2, led-3: "day"; office: "all" and the announcement; office-2: "all"; both.
      const representatives = releases.regimeRepresentatives();
      expect(representatives).toHaveLength(4);
      const boards = many.boards.map((b) => b.id);
      // The minimum over every board, each with its own resolver.
      const everyBoard = (afterMs: number) =>
        Math.min(
          ...boards.map((id) => releases.resolver(id)?.nextChangeAfter(afterMs) ?? Infinity),
        );
      let at = Date.parse('2030-02-25T00:00:00Z');
      const changes: number[] = [];
      for (let i = 0; i < 12 && Number.isFinite(at); i++) {
        const next = jobs.nextChangeAfter(at);
        expect(next).toBe(everyBoard(at));
        changes.push(next);
        at = next;
      }
      expect(changes.length).toBeGreaterThan(6);
    });
  });

  it('re-arms once a publish is delivered, replaying once a change that passed during the push', async () => {
    await withPublished(plan, ({ t, scheduler, setNow }) => {
      const seen: string[] = [];
      t.controller.events.on('regime:changed', (e) => {
        seen.push(`${new Date(e.atMs).toISOString()} ${e.boardId}`);
      });
      // A publish just before the phase starts whose push ends just after: the change at the
      // phase start (office) passed while the bundles went out.
      const publishedAtMs = Date.parse('2030-02-28T16:59:59.500Z');
      const atMs = Date.parse('2030-02-28T17:00:00.700Z');
      setNow(atMs);
      const delivered = { type: 'release:delivered', version: 1, publishedAtMs, atMs } as const;
      t.controller.events.emit(delivered);
      expect(seen).toEqual(['2030-02-28T17:00:00.000Z office']);
      expect(scheduler.live().map((j) => j.at.toISOString())).toEqual(['2030-02-28T23:00:00.000Z']);
      // Delivered again (another publish's push under way since before): nothing twice.
      t.controller.events.emit(delivered);
      expect(seen).toHaveLength(1);
    });
  });

  it('replays changes it missed while the process was stalled, then arms the next', async () => {
    await withPublished(plan, ({ t, scheduler, setNow }) => {
      const seen: string[] = [];
      t.controller.events.on('regime:changed', (e) => seen.push(new Date(e.atMs).toISOString()));
      // The first job fires 30 hours late.
      const job = scheduler.live()[0];
      if (!job) throw new Error('no job armed');
      setNow(Date.parse('2030-03-01T23:00:00Z') + 30 * 60_000);
      job.run();
      expect(seen).toEqual([
        '2030-02-28T17:00:00.000Z',
        '2030-02-28T23:00:00.000Z',
        '2030-03-01T05:00:00.000Z',
        '2030-03-01T05:30:00.000Z',
        '2030-03-01T15:00:00.000Z',
        '2030-03-01T23:00:00.000Z',
      ]);
      expect(scheduler.live()[0]?.at.toISOString()).toBe('2030-03-02T15:00:00.000Z');
    });
  });

  it('node-schedule fires a job 40 days ahead at its instant, beyond the 24.8-day timer limit', () => {
    vi.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') });
    const at = new Date(Date.parse('2030-01-01T00:00:00Z') + 40 * 86_400_000);
    let firedAt: number | undefined;
    const job = nodeScheduler.schedule(at, () => {
      firedAt = Date.now();
    });
    vi.advanceTimersByTime(40 * 86_400_000 - 1);
    expect(firedAt).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(firedAt).toBe(at.getTime());
    job.cancel();
    expect(Object.keys(schedule.scheduledJobs)).toHaveLength(0);
  });

  it('runs a job when a simulated clock (a demo set years back) reaches its instant', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-26T00:00:00Z') });
    const clock = simulatedClock(Date.parse('2021-01-25T08:00:00+07:00'));
    const at = new Date(clock.now() + 90_000);
    let firedAt: number | undefined;
    const job = clockScheduler(clock).schedule(at, () => {
      firedAt = clock.now();
    });
    vi.advanceTimersByTime(89_999);
    expect(firedAt).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(firedAt).toBe(at.getTime());
    job.cancel();
  });
});
