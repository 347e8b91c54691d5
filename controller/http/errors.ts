import type { ErrorRequestHandler } from 'express';
import type { Problem } from '../../playlists/index.js';

/** Error codes the API answers with, and their HTTP status. */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_plan: 400,
  payload_too_large: 413,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
  timeline_too_large: 400,
  internal: 500,
  audit_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** An expected failure of a request, answered as `{ error: { code, message, details? } }`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly Problem[] | undefined;

  constructor(code: ErrorCode, message: string, details?: readonly Problem[]) {
    super(message);
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The JSON body of an error response. */
export function errorBody(code: ErrorCode, message: string, details?: readonly Problem[]) {
  return { error: details ? { code, message, details } : { code, message } };
}

interface Logger {
  error(obj: object, msg?: string): void;
}

interface BodyParserError {
  type?: unknown;
  status?: unknown;
}

/** Maps every error that reaches express to the JSON error body; unknown errors become 500s. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof ApiError) {
      res.status(err.status).json(errorBody(err.code, err.message, err.details));
      return;
    }
    const parserError = err as BodyParserError;
    if (parserError.type === 'entity.parse.failed') {
      res.status(400).json(errorBody('invalid_json', 'the request body is not valid JSON'));
      return;
    }
    if (parserError.type === 'entity.too.large') {
      res.status(413).json(errorBody('payload_too_large', 'the request body is too large'));
      return;
    }
    if (
      typeof parserError.status === 'number' &&
      parserError.status >= 400 &&
      parserError.status < 500
    ) {
      res.status(parserError.status).json(errorBody('invalid_request', 'the request is malformed'));
      return;
    }
    logger.error({ err }, 'unhandled error');
    res.status(500).json(errorBody('internal', 'internal error'));
  };
}
