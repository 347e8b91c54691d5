// The controller of `npm run soak`, in a process of its own so that its memory is measured
// alone. Driven over IPC by scripts/soak.ts: its clock, a memory sample (after a full GC),
// its proof-of-play figures, and stop.
import { pino } from 'pino';
import { startController } from '../controller/app.js';
import { seedFirstStart } from '../controller/seed.js';
import { prepareSoak, soakPlan } from './soak-lib.js';

interface Request {
  id: number;
  type: 'prepare' | 'clock' | 'memory' | 'stop';
  boards?: number;
  day?: string;
  atMs?: number;
}

const [dataDir, startIso] = process.argv.slice(2);
if (dataDir === undefined || startIso === undefined)
  throw new Error('usage: soak-controller <dataDir> <startIso>');
let nowMs = Date.parse(startIso);
const logger = pino({ level: 'warn' });
const controller = await startController({
  dataDir,
  host: '127.0.0.1',
  port: 0,
  logger,
  clock: { now: () => nowMs },
  monitoring: {
    // Time jumps by whole slices of the day here: thresholds that would call every board
    // offline between two slices are out of the way; alerts are not what this measures.
    settings: {
      offlineAfterSec: 86_400,
      staleAfterSec: 86_400,
      wrongContentAfterSec: 86_400,
      screenshotEveryMin: 0,
    },
  },
});
await seedFirstStart(controller, {
  adminPassword: 'soak-admin-password',
  demoDir: undefined,
  logger,
});

const gc = (globalThis as { gc?: () => void }).gc;

function memory() {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return {
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    rss: m.rss,
    pop: controller.pop.figures(),
  };
}

const send = (message: object) => process.send?.(message);

process.on('message', (raw: unknown) => {
  const request = raw as Request;
  void (async () => {
    try {
      switch (request.type) {
        case 'prepare': {
          const plan = soakPlan(request.boards ?? 0, request.day ?? '');
          const boards = await prepareSoak(controller, plan);
          send({ id: request.id, value: { boards } });
          return;
        }
        case 'clock':
          nowMs = request.atMs ?? nowMs;
          send({ id: request.id, value: null });
          return;
        case 'memory':
          send({ id: request.id, value: memory() });
          return;
        case 'stop':
          await controller.close();
          send({ id: request.id, value: null });
          process.exit(0);
      }
    } catch (error) {
      send({ id: request.id, error: error instanceof Error ? error.stack : String(error) });
    }
  })();
});
send({ type: 'ready', url: controller.url, memory: memory() });
