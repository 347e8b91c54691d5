import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  Http,
  startTestController,
  type TestController,
} from '../helpers/controller.js';
import { approveAll, secondApprover } from '../helpers/approval.js';
import { uploadDemoBanners } from '../helpers/demo-banners.js';
import { repoRoot } from '../helpers/paths.js';
import { fastPlan } from '../helpers/plan-builder.js';

const run = promisify(execFile);
const BIN = path.join(repoRoot, 'bin', 'bangtin.js');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `bangtin` command in a child process. */
async function bangtin(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('bangtin CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bangtin-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validates the demo plans: exit 0', async () => {
    const result = await bangtin([
      'validate',
      'assets/demo/dak-lak-148.json',
      'assets/demo/kon-tum-kkt.json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      'assets/demo/dak-lak-148.json: ok',
      'assets/demo/kon-tum-kkt.json: ok',
    ]);
  });

  it('prints every problem of a bad file on its own line, and exits 1', async () => {
    const plan = JSON.parse(await readFile('assets/demo/kon-tum-kkt.json', 'utf8')) as {
      plan: Record<string, unknown>;
      phases: Record<string, unknown>[];
      schedules: Record<string, unknown>[];
      playlists: Record<string, unknown>[];
    };
    plan.plan.timeZone = 'Asia/Atlantis';
    (plan.phases[0] ?? {}).from = '2021-02-29';
    (plan.schedules[0] ?? {}).playlist = 'missing';
    (plan.playlists[0] ?? {}).items = [];
    (plan.schedules[1] ?? {}).hours = [{ from: '08:00', to: '08:00' }];
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(plan));
    const result = await bangtin(['validate', file]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        `${file}: $.plan.timeZone: unknown time zone "Asia/Atlantis"`,
        expect.stringMatching(/: \$\.phases\[0\]\.from: /),
        `${file}: $.schedules[0].playlist: unknown playlist "missing"`,
        `${file}: $.playlists[0].items: a playlist needs at least one item`,
        `${file}: $.schedules[1].hours[0]: a window needs "from" and "to" to differ`,
      ]),
    );
    expect(lines.every((line) => line.startsWith(`${file}: $`))).toBe(true);
  });

  it('reports malformed JSON and a missing file', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{"format": ');
    const broken = await bangtin(['validate', file]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/: \$: not valid JSON/);
    // design.md: exit 0, or exit 1 with one line per problem; a file that cannot be read is one.
    const nope = path.join(dir, 'nope.json');
    const missing = await bangtin(['validate', nope, 'assets/demo/kon-tum-kkt.json']);
    expect(missing.code).toBe(1);
    expect(missing.stdout.trim().split('\n')).toEqual([
      `${nope}: $: cannot read the file (ENOENT)`,
      'assets/demo/kon-tum-kkt.json: ok',
    ]);
  });

  it('has --help for each command', async () => {
    for (const command of ['validate', 'timeline', 'import', 'export', 'publish']) {
      const result = await bangtin([command, '--help']);
      expect(result.code, command).toBe(0);
      expect(result.stdout).toContain(`Usage: bangtin ${command}`);
    }
    expect((await bangtin(['--help'])).stdout).toContain('Commands:');
    expect((await bangtin(['frobnicate'])).code).toBe(2);
  });

  it('takes the instants the timeline API takes, and refuses bad and impossible ones with exit 2', async () => {
    const run = (from: string) =>
      bangtin([
        'timeline',
        '--plan',
        'assets/demo/kon-tum-kkt.json',
        '--board',
        'bo-y',
        '--from',
        from,
        '--to',
        '2026-03-03T00:00:00Z',
      ]);
    // Exit 2 for a bad option; a date is not rolled over (Date.parse makes 02-30 March 2nd).
    for (const from of [
      'yesterday',
      '2026-02-30T00:00:00Z',
      '2026-03-01T24:00:00Z',
      '2026-03-01T19:00Z',
    ]) {
      const result = await run(from);
      expect(result.code, from).toBe(2);
      expect(result.stderr, from).toMatch(/--from must be an ISO instant/);
    }
    for (const from of ['2026-03-01T19:00:00.0001Z', '2026-03-02T02:00:00+07:00']) {
      const result = await run(from);
      expect(result.code, from).toBe(0);
      const segments = JSON.parse(result.stdout) as { start: string }[];
      expect(segments[0]?.start, from).toBe('2026-03-01T19:00:00.000Z');
    }
  });

  it('reads a plan saved with a byte-order mark (Windows Notepad) as the same plan', async () => {
    const text = await readFile('assets/demo/kon-tum-kkt.json', 'utf8');
    const file = path.join(dir, 'bom.json');
    await writeFile(file, `\uFEFF${text}`, 'utf8');
    const result = await bangtin(['validate', file]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${file}: ok\n`);
    expect(result.code).toBe(0);
    const args = [
      '--board',
      'bo-y',
      '--from',
      '2026-03-02T00:00:00Z',
      '--to',
      '2026-03-02T01:00:00Z',
    ];
    const withMark = await bangtin(['timeline', '--plan', file, ...args]);
    const without = await bangtin(['timeline', '--plan', 'assets/demo/kon-tum-kkt.json', ...args]);
    expect(withMark.code).toBe(0);
    expect(withMark.stdout).toBe(without.stdout);
  });

  it('refuses a timeline of more than a million segments with exit 1, before building it', async () => {
    // Two 1 ms slogans: a day is 86.4 million segments.
    const plan = fastPlan();
    const file = path.join(dir, 'nhanh.json');
    await writeFile(file, JSON.stringify(plan));
    const args = ['timeline', '--plan', file, '--board', 'nhanh', '--from'];
    const day = await bangtin([...args, '2026-03-28T00:00:00Z', '--to', '2026-03-29T00:00:00Z']);
    expect(day.code).toBe(1);
    expect(day.stdout).toBe('');
    expect(day.stderr).toBe(
      `${file}: the span holds more than 1,000,000 segments for board "nhanh"; ask for a shorter span\n`,
    );
    const small = await bangtin([
      ...args,
      '2026-03-28T00:00:00Z',
      '--to',
      '2026-03-28T00:00:00.003Z',
    ]);
    expect(small.code).toBe(0);
    expect((JSON.parse(small.stdout) as { content: string }[]).map((s) => s.content)).toEqual([
      'nhanh-1',
      'nhanh-2',
      'nhanh-1',
    ]);
  });

  describe('against a running controller', () => {
    let t: TestController;
    let token: string;
    let admin: Http;
    beforeAll(async () => {
      t = await startTestController();
      admin = await Http.login(t.url, 'admin', ADMIN_PASSWORD);
      const created = await admin.request<{ token: string }>('POST', '/api/auth/tokens', {
        name: 'cli-test',
      });
      token = created.body.token;
    });
    afterAll(async () => {
      await t.stop();
    });

    it('imports, publishes and exports; the HTTP timeline equals the CLI timeline', async () => {
      const env = { BANGTIN_URL: t.url, BANGTIN_TOKEN: token };
      const uploader = new Http(t.url);
      uploader.bearer = token;
      await uploadDemoBanners(uploader);
      const imported = await bangtin(['import', 'assets/demo/dak-lak-148.json'], env);
      expect(imported.stderr).toBe('');
      expect(imported.stdout).toContain('imported plan "kh-148"');
      // Only approved items are published; another approver approves what the import brought.
      expect((await approveAll(await secondApprover(admin), 'kh-148')).length).toBeGreaterThan(0);
      const published = await bangtin(['publish', '--note', 'CLI'], env);
      expect(published.stdout).toMatch(/published release 1/);

      const out = path.join(dir, 'exported.json');
      const exported = await bangtin(['export', 'kh-148', '--out', out], env);
      expect(exported.code).toBe(0);
      const original: unknown = JSON.parse(await readFile('assets/demo/dak-lak-148.json', 'utf8'));
      expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(original);

      const script = new Http(t.url);
      script.bearer = token;
      const spans = [
        ['2020-10-12T00:00:00+07:00', '2020-10-17T00:00:00+07:00'],
        ['2021-01-24T20:00:00+07:00', '2021-01-26T08:00:00+07:00'],
        ['2020-02-02T23:00:00Z', '2020-02-03T23:30:00Z'],
      ] as const;
      const boards = ['dl-bmt-quang-truong', 'dl-tinh-uy', 'dl-cong-ttdt'];
      for (const board of boards) {
        for (const [from, to] of spans) {
          const cli = await bangtin([
            'timeline',
            '--plan',
            'assets/demo/dak-lak-148.json',
            '--board',
            board,
            '--from',
            from,
            '--to',
            to,
          ]);
          expect(cli.code, cli.stderr).toBe(0);
          const query = new URLSearchParams({ from, to });
          const http = await script.request<unknown[]>(
            'GET',
            `/api/boards/${board}/timeline?${query.toString()}`,
          );
          expect(http.status).toBe(200);
          expect(http.body.length).toBeGreaterThan(1);
          expect(JSON.parse(cli.stdout)).toEqual(http.body);
        }
      }
    });

    it('prints every problem the controller finds in an import, and exits 1', async () => {
      const file = path.join(dir, 'bad-import.json');
      const plan = JSON.parse(await readFile('assets/demo/dak-lak-148.json', 'utf8')) as {
        plan: Record<string, unknown>;
        phases: Record<string, unknown>[];
      };
      plan.plan.timeZone = 'Nowhere/Zone';
      (plan.phases[0] ?? {}).to = '2019-01-01';
      await writeFile(file, JSON.stringify(plan));
      const result = await bangtin(['import', file], { BANGTIN_URL: t.url, BANGTIN_TOKEN: token });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('invalid_plan');
      expect(result.stderr).toContain('$.plan.timeZone');
      expect(result.stderr).toContain('$.phases[0].to');
    });
  });
});
