import { createHmac } from 'node:crypto';
import type { StoreLogger } from '../store/index.js';
import type { Timers } from '../telemetry/timers.js';
import type { Alert } from './protocol.js';

/** How one delivery attempt ended. */
export interface WebhookAttempt {
  /** 1 for the first try. */
  attempt: number;
  /** The HTTP status, or null when the request failed (timeout, refused connection). */
  status: number | null;
  error: string | null;
  delivered: boolean;
  /** The wait before the next try; null when there is none (delivered or given up). */
  retryInMs: number | null;
}

export interface WebhookOptions {
  url: string;
  /** When set, each request carries `x-bangtin-signature: sha256=<HMAC of the body>`. */
  secret?: string | undefined;
  timers: Timers;
  logger: StoreLogger;
  userAgent: string;
  /** Per request. */
  timeoutMs?: number;
  /** Tries per payload, the first included. */
  maxAttempts?: number;
  /** The first wait; each retry waits twice as long as the one before. */
  backoffMs?: number;
  /** Payloads waiting beyond this drop the oldest (and say so in the log). */
  queueLimit?: number;
}

/**
 * POSTs alert payloads as JSON to an operator's URL, one at a time and in order, each with a
 * timeout and retried with exponential backoff. `send` only queues: nothing waits for the
 * receiver, and a receiver that is down costs a timer, not a blocked event loop.
 */
export class AlertWebhook {
  private readonly queue: string[] = [];
  private running = false;
  private closed = false;
  private retryTimer: { cancel(): void } | undefined;
  private readonly listeners = new Set<(attempt: WebhookAttempt) => void>();
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly queueLimit: number;

  constructor(private readonly options: WebhookOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.backoffMs = options.backoffMs ?? 2_000;
    this.queueLimit = options.queueLimit ?? 1_000;
  }

  /** Calls `listener` after every attempt; returns the way to stop. */
  onAttempt(listener: (attempt: WebhookAttempt) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(payload: object): void {
    if (this.closed) return;
    this.queue.push(JSON.stringify(payload));
    if (this.queue.length > this.queueLimit) {
      this.queue.shift();
      this.options.logger.error(
        { limit: this.queueLimit },
        'alert webhook queue full: dropped the oldest',
      );
    }
    if (!this.running) {
      this.running = true;
      void this.deliver(1);
    }
  }

  private async deliver(attempt: number): Promise<void> {
    const body = this.queue[0];
    if (body === undefined || this.closed) {
      this.running = false;
      return;
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': this.options.userAgent,
    };
    if (this.options.secret !== undefined) {
      const mac = createHmac('sha256', this.options.secret).update(body).digest('hex');
      headers['x-bangtin-signature'] = `sha256=${mac}`;
    }
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(this.options.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      status = res.status;
      // The body is not needed; reading it frees the connection.
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const delivered = status !== null && status >= 200 && status < 300;
    const giveUp = !delivered && attempt >= this.maxAttempts;
    const retryInMs = delivered || giveUp ? null : this.backoffMs * 2 ** (attempt - 1);
    if (delivered || giveUp) this.queue.shift();
    if (giveUp) {
      this.options.logger.error(
        { status, error, attempts: attempt },
        'alert webhook gave up on a payload',
      );
    } else if (!delivered) {
      this.options.logger.warn(
        { status, error, attempt, retryInMs },
        'alert webhook failed; retrying',
      );
    }
    const outcome: WebhookAttempt = { attempt, status, error, delivered, retryInMs };
    if (retryInMs === null) {
      void this.deliver(1);
    } else if (!this.isClosed()) {
      this.retryTimer = this.options.timers.after(retryInMs, () => {
        void this.deliver(attempt + 1);
      });
    }
    for (const listener of this.listeners) listener(outcome);
  }

  /** Read after awaits: close() may have run meanwhile. */
  private isClosed(): boolean {
    return this.closed;
  }

  /** Payloads not yet delivered. */
  get waiting(): number {
    return this.queue.length;
  }

  close(): void {
    this.closed = true;
    this.retryTimer?.cancel();
  }
}

/** The body POSTed for each alert transition (docs/monitoring.md). */
export interface AlertWebhookPayload {
  type: 'alert.raised' | 'alert.cleared';
  sentAt: string;
  alert: Alert;
}
