import type { Problem } from '../../playlists/index.js';

/** What the CLI prints of a problem: `path: message`. */
type ProblemLine = Pick<Problem, 'path' | 'message'>;

/** A refusal or failure from the controller, with its problems when it listed them. */
export class ApiClientError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details: readonly ProblemLine[],
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

function problemsOf(details: unknown): ProblemLine[] {
  if (!Array.isArray(details)) return [];
  return details.map((d: unknown) => {
    const record = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
    return {
      path: typeof record.path === 'string' ? record.path : '$',
      message: typeof record.message === 'string' ? record.message : '',
    };
  });
}

/** A small client of the controller's HTTP API for the CLI: bearer token or login session. */
export class ApiClient {
  private constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string>,
  ) {}

  static withToken(baseUrl: string, token: string): ApiClient {
    return new ApiClient(baseUrl, { authorization: `Bearer ${token}` });
  }

  static async login(baseUrl: string, username: string, password: string): Promise<ApiClient> {
    const response = await ApiClient.send(
      baseUrl,
      'POST',
      '/api/auth/login',
      {},
      { username, password },
    );
    const cookie = (response.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const body = (await ApiClient.readBody(response)) as { csrfToken: string };
    return new ApiClient(baseUrl, { cookie, 'x-csrf-token': body.csrfToken });
  }

  private static async send(
    baseUrl: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<Response> {
    try {
      return await fetch(new URL(path, baseUrl), {
        method,
        headers: {
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
      throw new ApiClientError(
        `cannot reach the controller at ${baseUrl} ${cause}`.trim(),
        0,
        'unreachable',
        [],
      );
    }
  }

  private static async readBody(response: Response): Promise<unknown> {
    const text = await response.text();
    const body: unknown = text.length > 0 ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = (body as ErrorBody | undefined)?.error;
      const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
      const message = typeof error?.message === 'string' ? error.message : response.statusText;
      throw new ApiClientError(
        `${code}: ${message}`,
        response.status,
        code,
        problemsOf(error?.details),
      );
    }
    return body;
  }

  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await ApiClient.send(this.baseUrl, method, path, this.headers, body);
    return ApiClient.readBody(response);
  }
}
