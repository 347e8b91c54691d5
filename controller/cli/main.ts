import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  compilePlan,
  formatPath,
  InstantSchema,
  problem,
  timeline,
  TimelineTooLarge,
  validatePlanText,
  type Problem,
  type ValidationResult,
} from '../../playlists/index.js';
import { auditFilePath, verifyAuditFile } from '../audit/log.js';
import { ApiClient, ApiClientError } from './client.js';

/** Where the CLI writes, so tests can run it in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage: bangtin <command> [options]

Commands:
  validate <plan.json>...        check plan files; one line per problem, exit 1 if any
  timeline --plan <file> --board <id> --from <iso> --to <iso>
                                 print what a board plays over [from, to) as JSON segments
  import <plan.json>             import a plan into a running controller (all or nothing)
  export <plan-id> [--out file]  export a plan from a running controller
  publish [--note text]          publish the approved version of every plan as a new release
  audit verify [--data <dir>]    check the audit log's hash chain; exit 1 at the first bad entry

Run "bangtin <command> --help" for the options of a command.
Talking to a controller: --server URL (or BANGTIN_URL, default http://127.0.0.1:8080) and
--token TOKEN (or BANGTIN_TOKEN), or --user NAME with the password in BANGTIN_PASSWORD.
`;

const HELP: Record<string, string> = {
  validate: `Usage: bangtin validate <plan.json>...

Validates bangtin-plan/1 files. Prints "<file>: ok" for a good file, and one line
"<file>: <json-path>: <reason>" for every problem of a bad one.
Exit 0 when every file is valid, 1 otherwise.
`,
  timeline: `Usage: bangtin timeline --plan <plan.json> --board <id> --from <iso> --to <iso>

Prints, as a JSON array on stdout, the segments a board plays over [from, to):
{ start, end, kind: item|announcement|idle, content?, playlist?, schedule?, announcement? }
Instants are ISO-8601 with an offset or Z, e.g. 2021-01-25T00:00:00+07:00.
At most 1,000,000 segments: a longer answer is refused (ask for a shorter span).
Exit 1 when the plan is invalid, the board is unknown or the span too large, 2 on bad options.
`,
  import: `Usage: bangtin import <plan.json> [--server URL] [--token TOKEN | --user NAME]

Imports a whole plan into a running controller: the plan with the same id is replaced,
or nothing changes when the controller finds a problem (all are printed).
`,
  export: `Usage: bangtin export <plan-id> [--out <file>] [--server URL] [--token TOKEN | --user NAME]

Exports a plan's working copy as a bangtin-plan/1 file (stdout unless --out).
`,
  publish: `Usage: bangtin publish [--note <text>] [--server URL] [--token TOKEN | --user NAME]

Publishes the next release (approvers and admins): the approved version of every item of
every plan; drafts and items waiting for approval stay out until they are approved.
`,
  audit: `Usage: bangtin audit verify [--data <dir>]

Checks the audit log <dir>/audit/audit.ndjson (dir: --data, else BANGTIN_DATA, else ./data)
by reading the file itself: every entry's hash, its link to the entry before and the order
of the seq numbers. Prints "ok: N entries, chain intact" and exits 0, or names the first bad
entry's seq and why, and exits 1.
`,
};

const SERVER_OPTIONS = {
  server: { type: 'string' },
  token: { type: 'string' },
  user: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

class UsageError extends Error {}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function problemLines(file: string, problems: readonly Pick<Problem, 'path' | 'message'>[]) {
  return problems.map((p) => `${file}: ${p.path}: ${p.message}`);
}

/** A file the CLI was given and could not read: a usage error (exit 2), except for validate. */
class ReadError extends UsageError {
  constructor(
    file: string,
    readonly code: string,
  ) {
    super(`cannot read ${file} (${code})`);
  }
}

async function readText(file: string): Promise<string> {
  try {
    // A byte-order mark, as Windows Notepad writes before UTF-8, is not part of the JSON.
    return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new ReadError(file, (error as NodeJS.ErrnoException).code ?? 'error');
  }
}

/** An instant as the timeline API takes it (the same schema): a real date and time, with an offset or Z. */
function parseInstant(name: string, value: string | undefined): number {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  const ms = InstantSchema.safeParse(value).success ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--${name} must be an ISO instant with an offset or Z, got "${value}"`);
  }
  return ms;
}

async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(args, { help: { type: 'boolean', short: 'h' } });
  if (values.help === true) return help('validate', io);
  if (positionals.length === 0) throw new UsageError('give at least one plan file');
  let failed = false;
  for (const file of positionals) {
    const text = await readText(file).catch((error: unknown) => {
      if (error instanceof ReadError) return error;
      throw error;
    });
    // A file that cannot be read is one of the problems validate reports (exit 1), as one that
    // is not JSON is.
    const result: ValidationResult =
      typeof text === 'string'
        ? validatePlanText(text)
        : {
            ok: false,
            problems: [
              problem(
                '$',
                'cannot_read',
                { reason: text.code },
                `cannot read the file (${text.code})`,
              ),
            ],
          };
    if (result.ok) {
      io.out(`${file}: ok\n`);
    } else {
      failed = true;
      io.out(`${problemLines(file, result.problems).join('\n')}\n`);
    }
  }
  return failed ? 1 : 0;
}

/** The most segments `timeline` prints (about 200 MB of JSON): beyond, the span is refused. */
const CLI_MAX_SEGMENTS = 1_000_000;

async function timelineCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    plan: { type: 'string' },
    board: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) return help('timeline', io);
  if (values.plan === undefined) throw new UsageError('--plan is required');
  if (values.board === undefined) throw new UsageError('--board is required');
  const fromMs = parseInstant('from', values.from);
  const toMs = parseInstant('to', values.to);
  if (toMs <= fromMs) throw new UsageError('--to must be after --from');
  const result = validatePlanText(await readText(values.plan));
  if (!result.ok) {
    io.err(`${problemLines(values.plan, result.problems).join('\n')}\n`);
    return 1;
  }
  let segments;
  try {
    segments = timeline(compilePlan(result.plan), values.board, fromMs, toMs, CLI_MAX_SEGMENTS);
  } catch (error) {
    if (!(error instanceof TimelineTooLarge)) throw error;
    io.err(
      `${values.plan}: the span holds more than ${CLI_MAX_SEGMENTS.toLocaleString('en')} segments for board "${values.board}"; ask for a shorter span\n`,
    );
    return 1;
  }
  if (!segments) {
    io.err(`${values.plan}: ${formatPath(['boards'])}: no board "${values.board}"\n`);
    return 1;
  }
  io.out(`${JSON.stringify(segments, null, 2)}\n`);
  return 0;
}

async function clientFrom(values: { server?: string; token?: string; user?: string }, io: CliIo) {
  const server = values.server ?? io.env.BANGTIN_URL ?? 'http://127.0.0.1:8080';
  const token = values.token ?? io.env.BANGTIN_TOKEN;
  if (token !== undefined) return ApiClient.withToken(server, token);
  if (values.user !== undefined) {
    const password = io.env.BANGTIN_PASSWORD;
    if (password === undefined)
      throw new UsageError('--user needs the password in BANGTIN_PASSWORD');
    return ApiClient.login(server, values.user, password);
  }
  throw new UsageError('give --token (or BANGTIN_TOKEN), or --user with BANGTIN_PASSWORD');
}

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(args, SERVER_OPTIONS);
  if (values.help === true) return help('import', io);
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new UsageError('give one plan file');
  const text = await readText(file);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    io.out(`${file}: $: not valid JSON: ${error instanceof Error ? error.message : ''}\n`);
    return 1;
  }
  const client = await clientFrom(values, io);
  const result = (await client.request('POST', '/api/plans/import', body)) as {
    plan: { plan: { id: string } };
    replaced: boolean;
  };
  io.out(
    `${file}: imported plan "${result.plan.plan.id}"${result.replaced ? ' (replaced)' : ''}\n`,
  );
  return 0;
}

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(args, { ...SERVER_OPTIONS, out: { type: 'string' } });
  if (values.help === true) return help('export', io);
  const planId = positionals[0];
  if (planId === undefined || positionals.length > 1) throw new UsageError('give one plan id');
  const client = await clientFrom(values, io);
  const doc = await client.request('GET', `/api/plans/${encodeURIComponent(planId)}/export`);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (values.out === undefined) io.out(text);
  else {
    await writeFile(values.out, text);
    io.err(`wrote ${values.out}\n`);
  }
  return 0;
}

async function publishCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...SERVER_OPTIONS, note: { type: 'string' } });
  if (values.help === true) return help('publish', io);
  const client = await clientFrom(values, io);
  const release = (await client.request(
    'POST',
    '/api/releases',
    values.note === undefined ? {} : { note: values.note },
  )) as { version: number; hash: string; withheld?: unknown[] };
  io.out(`published release ${release.version} (${release.hash.slice(0, 12)})\n`);
  const withheld = release.withheld?.length ?? 0;
  // Only approved items are published: say what stayed behind (GET /api/releases/<n> lists it).
  if (withheld > 0)
    io.err(`${withheld} item(s) not approved (or depending on one) were left out\n`);
  return 0;
}

async function auditCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(args, {
    data: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) return help('audit', io);
  if (positionals.length !== 1 || positionals[0] !== 'verify') {
    throw new UsageError('the only audit subcommand is "verify"');
  }
  const file = auditFilePath(path.resolve(values.data ?? io.env.BANGTIN_DATA ?? './data'));
  let result;
  try {
    result = await verifyAuditFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`cannot read ${file} (${code})`);
  }
  if (!result.ok) {
    io.out(`${file}: broken at seq ${result.badSeq}: ${result.reason}\n`);
    io.out(`(${result.entries} entries before it verify)\n`);
    return 1;
  }
  io.out(`ok: ${result.entries} entries, chain intact\n`);
  for (const note of result.notes) io.out(`note: ${note}\n`);
  if (result.last) io.out(`last: seq ${result.last.seq}, hash ${result.last.hash}\n`);
  return 0;
}

function help(command: string, io: CliIo): number {
  io.out(HELP[command] ?? USAGE);
  return 0;
}

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  validate: validateCommand,
  timeline: timelineCommand,
  import: importCommand,
  export: exportCommand,
  publish: publishCommand,
  audit: auditCommand,
};

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`bangtin: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`bangtin ${command}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ApiClientError) {
      io.err(`bangtin ${command}: ${error.message}\n`);
      for (const d of error.details) io.err(`  ${d.path}: ${d.message}\n`);
      return 1;
    }
    throw error;
  }
}
