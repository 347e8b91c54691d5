import { z } from 'zod';
import { MonitorSettingsSchema } from './monitoring/protocol.js';
import type { MonitoringOptions } from './monitoring/service.js';

const PortSchema = z.coerce.number().int().min(0).max(65535);
const monitorSetting = (key: keyof typeof MonitorSettingsSchema.shape) =>
  z.coerce.number().pipe(MonitorSettingsSchema.shape[key]).optional();
const WebhookUrlSchema = z
  .url({ protocol: /^https?$/ })
  .optional()
  .or(z.literal('').transform(() => undefined));

export const ConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: PortSchema.default(8080),
  BANGTIN_DATA: z.string().min(1).default('./data'),
  BANGTIN_ADMIN_PASSWORD: z.string().min(1).optional(),
  BANGTIN_SEED_DEMO: z.enum(['0', '1']).default('1'),
  BANGTIN_TRUST_PROXY: z.string().optional(),
  BANGTIN_SECURE_COOKIES: z.enum(['0', '1']).default('0'),
  BANGTIN_ORIGINS: z.string().optional(),
  BANGTIN_CLOCK: z.iso.datetime({ offset: true }).optional(),
  BANGTIN_EMBED_ANCESTORS: z.string().optional(),
  BANGTIN_WEB_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BANGTIN_ALERT_WEBHOOK: WebhookUrlSchema,
  BANGTIN_ALERT_WEBHOOK_SECRET: z.string().min(1).optional(),
  BANGTIN_OFFLINE_AFTER_S: monitorSetting('offlineAfterSec'),
  BANGTIN_STALE_AFTER_S: monitorSetting('staleAfterSec'),
  BANGTIN_WRONG_CONTENT_AFTER_S: monitorSetting('wrongContentAfterSec'),
  BANGTIN_CONTENT_GRACE_S: monitorSetting('contentGraceSec'),
  BANGTIN_CLOCK_SKEW_S: monitorSetting('clockSkewSec'),
  BANGTIN_SCREENSHOT_EVERY_MIN: monitorSetting('screenshotEveryMin'),
  BANGTIN_POP_RETENTION_DAYS: monitorSetting('popRetentionDays'),
});

/** The controller's settings, from environment variables (documented in the README). */
export interface ControllerConfig {
  host: string;
  port: number;
  dataDir: string;
  adminPassword: string | undefined;
  seedDemo: boolean;
  trustProxy: boolean | number | string;
  secureCookies: boolean;
  logLevel: string;
  /** Extra origins allowed to open player sockets (besides the server's own). */
  allowedOrigins: string[];
  /** Start the controller's clock at this instant (demonstrations, tests). */
  clockStartMs: number | undefined;
  /** Sites that may frame the public embed (CSP frame-ancestors). */
  embedAncestors: string[];
  /** The built browser files (player, dashboard); undefined: dist/web in the package. */
  webDir: string | undefined;
  /** Alert thresholds and the alert webhook. */
  monitoring: MonitoringOptions;
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Reads the settings, or lists every bad variable. */
export function loadConfig(
  env: Record<string, string | undefined>,
): { ok: true; config: ControllerConfig } | { ok: false; problems: string[] } {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    };
  }
  const e = parsed.data;
  return {
    ok: true,
    config: {
      host: e.HOST,
      port: e.PORT,
      dataDir: e.BANGTIN_DATA,
      adminPassword: e.BANGTIN_ADMIN_PASSWORD,
      seedDemo: e.BANGTIN_SEED_DEMO === '1',
      trustProxy: parseTrustProxy(e.BANGTIN_TRUST_PROXY),
      secureCookies: e.BANGTIN_SECURE_COOKIES === '1',
      logLevel: e.LOG_LEVEL,
      allowedOrigins: (e.BANGTIN_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o.length > 0),
      clockStartMs: e.BANGTIN_CLOCK === undefined ? undefined : Date.parse(e.BANGTIN_CLOCK),
      embedAncestors: (e.BANGTIN_EMBED_ANCESTORS ?? '*')
        .split(/[\s,]+/)
        .filter((o) => o.length > 0),
      webDir: e.BANGTIN_WEB_DIR,
      monitoring: {
        settings: Object.fromEntries(
          Object.entries({
            offlineAfterSec: e.BANGTIN_OFFLINE_AFTER_S,
            staleAfterSec: e.BANGTIN_STALE_AFTER_S,
            wrongContentAfterSec: e.BANGTIN_WRONG_CONTENT_AFTER_S,
            contentGraceSec: e.BANGTIN_CONTENT_GRACE_S,
            clockSkewSec: e.BANGTIN_CLOCK_SKEW_S,
            screenshotEveryMin: e.BANGTIN_SCREENSHOT_EVERY_MIN,
            popRetentionDays: e.BANGTIN_POP_RETENTION_DAYS,
          }).filter(([, v]) => v !== undefined),
        ),
        ...(e.BANGTIN_ALERT_WEBHOOK === undefined
          ? {}
          : {
              webhook: {
                url: e.BANGTIN_ALERT_WEBHOOK,
                secret: e.BANGTIN_ALERT_WEBHOOK_SECRET,
              },
            }),
      },
    },
  };
}
