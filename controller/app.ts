import cookieParser from 'cookie-parser';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { slowDown } from 'express-slow-down';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { AssetService, MAX_ASSET_BYTES } from './assets/service.js';
import { AuditLog, LOCAL_ORIGIN, SYSTEM_ACTOR } from './audit/log.js';
import { AuthService } from './auth/service.js';
import { safeEqual } from './auth/secrets.js';
import type { Clock } from './clock.js';
import { EventBus } from './events.js';
import { buildApi, SESSION_COOKIE } from './http/api.js';
import { ApiError, errorBody, errorMiddleware } from './http/errors.js';
import { clockScheduler, RegimeJobs, type JobScheduler } from './jobs/regime-jobs.js';
import { addApprovalRoutes } from './http/approval-api.js';
import { addMonitorRoutes } from './http/monitor-api.js';
import { addReportRoutes } from './http/report-api.js';
import { addPlayerRoutes } from './http/player-api.js';
import { addUrgentRoutes } from './http/urgent-api.js';
import { securityHeaders } from './http/security.js';
import { mountWeb } from './http/web.js';
import { packageRoot } from './paths.js';
import { ApprovalService } from './plans/approval.js';
import { PlanService } from './plans/service.js';
import { PlayerHub } from './players/hub.js';
import { PairingService } from './players/pairing.js';
import { Monitoring, type MonitoringOptions } from './monitoring/service.js';
import { ReleaseService, type PublishSource } from './releases/service.js';
import { ReleaseSigner } from './releases/signing.js';
import {
  AppStateSchema,
  initialState,
  stateMigrations,
  STATE_VERSION,
  type AppState,
} from './state.js';
import { assertStateOrEmpty } from './store/data-dir.js';
import { openJsonFileStore, type StateStore } from './store/index.js';
import { PopStore } from './telemetry/pop-store.js';
import { BoardStatusBook } from './telemetry/status.js';
import { realTimers, type Timers } from './telemetry/timers.js';

/** Everything a controller instance needs from outside. */
export interface ControllerOptions {
  dataDir: string;
  host: string;
  port: number;
  logger: Logger;
  clock: Clock;
  scheduler?: JobScheduler;
  /** Mark session cookies Secure (behind a TLS-terminating proxy, with trustProxy). */
  secureCookies?: boolean;
  /** express's "trust proxy" setting, for the client address behind a reverse proxy. */
  trustProxy?: boolean | number | string;
  /** Largest accepted JSON body. */
  bodyLimit?: string;
  publishSource?: PublishSource;
  version?: string;
  /** Login attempts per client and username per 15 minutes. */
  loginAttempts?: number;
  /** Failed logins per client and username before each further one is delayed (backoff). */
  loginDelayAfter?: number;
  /** Failed pairing claims per caller per 10 minutes. */
  claimAttempts?: number;
  /** Origins (besides the server's own) whose pages may open player sockets. */
  allowedOrigins?: readonly string[];
  /** Where the built browser files are (default: dist/web in the package). */
  webDir?: string;
  /** Who may frame `/embed/<board>` (CSP frame-ancestors); default any site. */
  embedAncestors?: readonly string[];
  /** Delays for monitoring and telemetry (thresholds, retries, checkpoints); tests step them. */
  timers?: Timers;
  /**
   * How long a board's or a dashboard's connection may stay silent before the controller closes
   * it (defaults: PLAYER_LIVENESS and MONITOR_LIVENESS); tests that step time without them
   * sending anything lengthen it.
   */
  silentCloseMs?: { players?: number; dashboards?: number };
  /** Alert thresholds, the alert webhook (docs/monitoring.md). */
  monitoring?: MonitoringOptions;
}

/** A running controller: its HTTP server and services. */
export interface Controller {
  readonly app: Express;
  readonly server: Server;
  readonly store: StateStore<AppState>;
  readonly auth: AuthService;
  readonly plans: PlanService;
  /** The approval workflow: queue, decisions, four-eyes setting. */
  readonly approvals: ApprovalService;
  readonly releases: ReleaseService;
  readonly jobs: RegimeJobs;
  readonly events: EventBus;
  readonly pairing: PairingService;
  readonly hub: PlayerHub;
  readonly status: BoardStatusBook;
  readonly pop: PopStore;
  readonly assets: AssetService;
  /** The append-only, hash-chained audit log (`<data>/audit/audit.ndjson`). */
  readonly audit: AuditLog;
  /** Live status, alerts, screenshots and proof-of-play reports. */
  readonly monitoring: Monitoring;
  /** The base URL the server listens on. */
  readonly url: string;
  close(): Promise<void>;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Opens the store, loads the latest release, arms the jobs and starts listening. */
export async function startController(options: ControllerOptions): Promise<Controller> {
  const { logger, clock } = options;
  await assertStateOrEmpty(options.dataDir);
  const store = await openJsonFileStore<AppState>({
    dir: options.dataDir,
    schema: AppStateSchema,
    version: STATE_VERSION,
    migrations: stateMigrations(() => clock.now()),
    initial: initialState,
    logger,
    now: () => clock.now(),
  });
  const events = new EventBus();
  const auth = new AuthService(store, clock);
  const plans = new PlanService(store, clock);
  const approvals = new ApprovalService(store, clock);
  const signer = await ReleaseSigner.open(path.join(options.dataDir, 'keys'));
  const releases = new ReleaseService({
    store,
    clock,
    events,
    logger,
    signer,
    dir: path.join(options.dataDir, 'releases'),
    ...(options.publishSource ? { source: options.publishSource } : {}),
  });
  await releases.load();
  const jobs = new RegimeJobs({
    releases,
    events,
    clock,
    scheduler: options.scheduler ?? clockScheduler(clock),
    logger,
  });
  jobs.arm();

  const assets = new AssetService(store, path.join(options.dataDir, 'assets'), clock);
  const pairing = new PairingService(store, clock, signer.publicKey);
  const status = new BoardStatusBook(clock);
  const timers = options.timers ?? realTimers;
  const pop = await PopStore.open(path.join(options.dataDir, 'pop'), logger, { timers });
  const audit = await AuditLog.open(path.join(options.dataDir, 'audit'), clock, logger);
  // What the store did on opening is on record: a recovery from a backup lost the changes after
  // it, and a migration rewrote the state in a newer schema.
  const loaded = store.loadedFrom;
  if (loaded && loaded.kind !== 'none') {
    const recovered = loaded.kind === 'backup';
    if (recovered || loaded.fromVersion !== STATE_VERSION) {
      await audit.append({
        actor: SYSTEM_ACTOR,
        action: recovered ? 'state.recover' : 'state.migrate',
        target: 'state.json',
        outcome: 'ok',
        details: {
          ...(recovered ? { from: path.basename(loaded.file) } : {}),
          fromVersion: loaded.fromVersion,
          toVersion: STATE_VERSION,
        },
        from: LOCAL_ORIGIN,
      });
    }
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(options.embedAncestors ?? ['*']));
  app.set('trust proxy', options.trustProxy ?? false);
  app.set('query parser', 'simple');
  app.use(express.json({ limit: options.bodyLimit ?? '5mb', strict: true }));
  app.use(
    '/api/assets',
    express.raw({ type: ['image/*', 'application/octet-stream'], limit: MAX_ASSET_BYTES }),
  );
  app.use(cookieParser());

  // Who is calling: a bearer token (scripts, CLI) or the session cookie (browsers).
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (header !== undefined) {
      const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
      const user = match?.[1] === undefined ? undefined : auth.userForToken(match[1]);
      if (!user) throw new ApiError('unauthenticated', 'the bearer token is not valid');
      req.caller = { user, via: 'bearer' };
      next();
      return;
    }
    const cookies = req.cookies as Record<string, unknown>;
    const cookie = cookies[SESSION_COOKIE];
    if (typeof cookie === 'string') {
      const found = auth.sessionFor(cookie);
      if (found) {
        req.caller = { user: found.user, via: 'session', sessionId: found.session.id };
        // Cookies ride along on cross-site requests; a change must also show the CSRF token.
        if (UNSAFE_METHODS.has(req.method)) {
          const token = req.get('x-csrf-token') ?? '';
          if (!safeEqual(token, found.session.csrfToken)) {
            throw new ApiError('csrf_failed', 'missing or wrong x-csrf-token header');
          }
        }
      }
    }
    next();
  });

  const loginKey = (req: Request) => {
    const body = req.body as { username?: unknown } | undefined;
    const username = typeof body?.username === 'string' ? body.username.slice(0, 64) : '';
    return `${ipKeyGenerator(req.ip ?? '')}|${username}`;
  };
  // Only wrong credentials count: a malformed body is answered 400 and cannot log anyone in.
  const loginCounted = {
    skip: (req: Request) => {
      const body = req.body as { username?: unknown; password?: unknown } | undefined;
      return typeof body?.username !== 'string' || typeof body.password !== 'string';
    },
    requestWasSuccessful: (_req: Request, res: Response) => res.statusCode !== 401,
  };
  const loginLimiter = rateLimit({
    ...loginCounted,
    windowMs: 15 * 60 * 1000,
    limit: options.loginAttempts ?? 10,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    keyGenerator: loginKey,
    handler: (_req, res) => {
      res
        .status(429)
        .json(errorBody('too_many_requests', 'too many failed logins; wait 15 minutes and retry'));
    },
  });
  // Backoff before the hard limit: after 3 failures each further attempt waits 500 ms longer.
  const loginBackoff = slowDown({
    windowMs: 15 * 60 * 1000,
    delayAfter: options.loginDelayAfter ?? 3,
    delayMs: (hits) => (hits - (options.loginDelayAfter ?? 3)) * 500,
    maxDelayMs: 5_000,
    skipSuccessfulRequests: true,
    ...loginCounted,
    keyGenerator: loginKey,
  });
  app.use('/api/auth/login', loginBackoff, loginLimiter);
  // Guessing pairing codes: a claim of an unknown code counts; 20 per caller per 10 minutes.
  const claimLimiter = rateLimit({
    windowMs: 10 * 60 * 1000,
    limit: options.claimAttempts ?? 20,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    keyGenerator: (req) => req.caller?.user.id ?? ipKeyGenerator(req.ip ?? ''),
    handler: (_req, res) => {
      res
        .status(429)
        .json(errorBody('too_many_requests', 'too many failed pairing claims; wait 10 minutes'));
    },
  });
  app.use('/api/pairings/claim', claimLimiter);

  const api = buildApi({
    store,
    auth,
    plans,
    approvals,
    releases,
    audit,
    clock,
    version: options.version ?? '0.0.0',
    secureCookies: options.secureCookies ?? false,
  });
  const server = createServer(app);
  const hub = new PlayerHub({
    httpServer: server,
    releases,
    pairing,
    events,
    clock,
    logger,
    status,
    pop,
    allowedOrigins: options.allowedOrigins ?? [],
    blankAll: () => store.read().blankAll !== null,
    timers,
    silentCloseMs: options.silentCloseMs?.players,
  });
  addPlayerRoutes(api, { store, pairing, hub, status, releases, assets, clock });
  const monitoring = await Monitoring.start({
    dataDir: options.dataDir,
    io: hub.io,
    hub,
    auth,
    clock,
    timers,
    logger,
    status,
    releases,
    store,
    events,
    audit,
    pop,
    sessionCookie: SESSION_COOKIE,
    version: options.version ?? '0.0.0',
    options: options.monitoring ?? {},
    dashboardSilentCloseMs: options.silentCloseMs?.dashboards,
  });
  addMonitorRoutes(api, { monitoring });
  addReportRoutes(api, { monitoring });
  addApprovalRoutes(api, { approvals });
  addUrgentRoutes(api, { store, plans, releases, hub, events, clock });
  const openApi = api.openApi({
    title: 'bangtin controller API',
    version: options.version ?? '0.0.0',
  });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  api.mount(app);
  app.use('/api', (_req, res) => {
    res.status(404).json(errorBody('not_found', 'no such route'));
  });
  mountWeb(app, { webDir: options.webDir ?? path.join(packageRoot(), 'dist', 'web'), assets });
  app.use(errorMiddleware(logger));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url }, 'controller listening');

  return {
    app,
    server,
    store,
    auth,
    plans,
    approvals,
    releases,
    jobs,
    events,
    pairing,
    hub,
    status,
    pop,
    assets,
    audit,
    monitoring,
    url,
    async close() {
      jobs.stop();
      server.closeAllConnections();
      await monitoring.close();
      // Closes the HTTP server too.
      await hub.close();
      await pop.close();
      await audit.close();
      await store.close();
    },
  };
}
