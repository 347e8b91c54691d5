import type { ShownProblem } from './problems';

/** A refusal from the controller (`{ error: { code, message, details? } }`) or the network. */
export interface ApiFailure {
  ok: false;
  status: number;
  code: string;
  message: string;
  /** Validation problems: a JSON path and a reason each (with its code, from the server). */
  problems: ShownProblem[];
}

export type ApiResult<T> = { ok: true; status: number; value: T } | ApiFailure;

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

function problemsOf(details: unknown): ApiFailure['problems'] {
  const list = Array.isArray(details)
    ? details
    : details && typeof details === 'object' && 'problems' in details
      ? details.problems
      : [];
  if (!Array.isArray(list)) return [];
  return list.flatMap((p: unknown) => {
    if (p && typeof p === 'object' && 'path' in p && 'message' in p) {
      const { path, message } = p;
      const code = 'code' in p && typeof p.code === 'string' ? p.code : undefined;
      const params =
        'params' in p && p.params && typeof p.params === 'object' && !Array.isArray(p.params)
          ? (p.params as Record<string, unknown>)
          : undefined;
      return [
        {
          path: String(path),
          message: String(message),
          ...(code === undefined ? {} : { code }),
          ...(params === undefined ? {} : { params }),
        },
      ];
    }
    return typeof p === 'string' ? [{ path: '', message: p }] : [];
  });
}

/**
 * The controller's HTTP API as the dashboard uses it: the session cookie rides along, every
 * change carries the CSRF token, and failures come back as values.
 */
export class Api {
  private csrfToken: string | null = null;
  /** Called when the session has ended, so the app can show the login page. */
  onUnauthenticated: () => void = () => undefined;

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      return {
        ok: false,
        status: 0,
        code: 'network',
        message: error instanceof Error ? error.message : String(error),
        problems: [],
      };
    }
    return this.read<T>(response, path);
  }

  get<T>(path: string): Promise<ApiResult<T>> {
    return this.request<T>('GET', path);
  }

  /**
   * Uploads a file with progress reports (fetch cannot report upload progress; XHR can).
   */
  upload<T>(
    path: string,
    file: Blob,
    onProgress: (fraction: number) => void,
    headers: Record<string, string> = {},
  ): Promise<ApiResult<T>> {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.withCredentials = true;
      for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
      if (this.csrfToken) xhr.setRequestHeader('x-csrf-token', this.csrfToken);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onerror = () => {
        resolve({ ok: false, status: 0, code: 'network', message: 'upload failed', problems: [] });
      };
      xhr.onload = () => {
        const response = new Response(xhr.status === 204 ? null : xhr.responseText, {
          status: xhr.status,
          headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' },
        });
        void this.read<T>(response, path).then(resolve);
      };
      xhr.send(file);
    });
  }

  private async read<T>(response: Response, path: string): Promise<ApiResult<T>> {
    const text = await response.text();
    let parsed: unknown = null;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (response.ok) return { ok: true, status: response.status, value: parsed as T };
    const error = (parsed as ErrorBody | null)?.error;
    if (response.status === 401 && !path.startsWith('/api/auth/login')) this.onUnauthenticated();
    return {
      ok: false,
      status: response.status,
      code: typeof error?.code === 'string' ? error.code : `http_${response.status}`,
      message: typeof error?.message === 'string' ? error.message : response.statusText,
      problems: problemsOf(error?.details),
    };
  }
}
