import path from 'node:path';
import { pino } from 'pino';
import { startController } from './app.js';
import { simulatedClock, systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { packageRoot } from './paths.js';
import { seedFirstStart } from './seed.js';

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  for (const problem of loaded.problems) console.error(`bangtin: bad setting ${problem}`);
  process.exit(2);
}
const { config } = loaded;
const logger = pino({ level: config.logLevel, base: { service: 'bangtin' } });
const root = packageRoot();

try {
  const controller = await startController({
    dataDir: path.resolve(config.dataDir),
    host: config.host,
    port: config.port,
    logger,
    clock: config.clockStartMs === undefined ? systemClock : simulatedClock(config.clockStartMs),
    allowedOrigins: config.allowedOrigins,
    embedAncestors: config.embedAncestors,
    webDir: config.webDir === undefined ? undefined : path.resolve(config.webDir),
    monitoring: config.monitoring,
    trustProxy: config.trustProxy,
    secureCookies: config.secureCookies,
    version: process.env.npm_package_version ?? '0.1.0',
  });
  const seeded = await seedFirstStart(controller, {
    adminPassword: config.adminPassword,
    demoDir: config.seedDemo ? path.join(root, 'assets', 'demo') : undefined,
    logger,
  });
  if (seeded.generatedAdminPassword !== undefined) {
    // Printed once, on the first start only; it is stored hashed.
    process.stdout.write(
      `\n  bangtin: created user "admin" with password: ${seeded.generatedAdminPassword}\n` +
        '  (shown only now; set BANGTIN_ADMIN_PASSWORD before the first start to choose it)\n\n',
    );
  }
  process.stdout.write(`bangtin controller ready at ${controller.url}\n`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    controller.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });
} catch (error) {
  logger.fatal({ err: error }, 'controller failed to start');
  process.exit(1);
}
