import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { startController, type Controller, type ControllerOptions } from '../../controller/app.js';
import { systemClock } from '../../controller/clock.js';
import { seedFirstStart } from '../../controller/seed.js';

export const ADMIN_PASSWORD = 'correct-horse-battery';

/** A real controller on port 0 with a temp data dir, and a way to throw both away. */
export interface TestController {
  controller: Controller;
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestController(
  options: Partial<ControllerOptions> & { demo?: boolean } = {},
): Promise<TestController> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'bangtin-test-')));
  const logger = pino({ level: 'silent' });
  const controller = await startController({
    host: '127.0.0.1',
    port: 0,
    logger,
    clock: systemClock,
    ...options,
    dataDir,
  });
  await seedFirstStart(controller, {
    adminPassword: ADMIN_PASSWORD,
    demoDir: options.demo === true ? path.resolve('assets/demo') : undefined,
    logger,
  });
  return {
    controller,
    url: controller.url,
    dataDir,
    async stop() {
      await controller.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export { Http, type HttpResult } from './http.js';
