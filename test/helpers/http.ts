export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A logged-in (or anonymous) HTTP session against a test controller. */
export class Http {
  private cookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;

  constructor(readonly baseUrl: string) {}

  /** The Cookie header this session sends. */
  cookieHeader(): string {
    return this.cookie ?? '';
  }

  static async login(baseUrl: string, username: string, password: string): Promise<Http> {
    const http = new Http(baseUrl);
    const res = await http.request('POST', '/api/auth/login', { username, password });
    if (res.status !== 200)
      throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return http;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.cookie !== undefined) headers.cookie = this.cookie;
    if (this.csrfToken !== undefined) headers['x-csrf-token'] = this.csrfToken;
    if (this.bearer !== undefined) headers.authorization = `Bearer ${this.bearer}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const setCookie = res.headers.getSetCookie()[0];
    if (setCookie?.startsWith('bangtin_session=')) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    const parsed: unknown =
      text.length > 0 && res.headers.get('content-type')?.includes('json')
        ? JSON.parse(text)
        : text;
    const maybe = parsed as { csrfToken?: unknown };
    if (typeof maybe === 'object' && typeof maybe.csrfToken === 'string')
      this.csrfToken = maybe.csrfToken;
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
}

/**
 * A request sent byte for byte with node:http: unlike fetch, it neither normalizes the path
 * (`/a/%2E%2E/b`) nor adds `cache-control: no-cache` to conditional requests.
 */
export async function rawRequest(
  url: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  const { request } = await import('node:http');
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: 'GET',
        path: url.slice(target.origin.length),
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
