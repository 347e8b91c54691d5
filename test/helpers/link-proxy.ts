import net from 'node:net';

/**
 * A TCP proxy in front of a server on loopback. `blackhole()` makes every link open at that
 * moment go silent in both directions without closing it, as a cut cable or a NAT that
 * forgot the connection does; links opened afterwards pass again.
 */
export class LinkProxy {
  private readonly links = new Set<{ silent: boolean; client: net.Socket; upstream: net.Socket }>();
  private readonly server: net.Server;

  private constructor(target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      const link = { silent: false, client, upstream };
      this.links.add(link);
      client.on('data', (chunk) => {
        if (!link.silent) upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (!link.silent) client.write(chunk);
      });
      const end = () => {
        this.links.delete(link);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end);
      upstream.on('close', end);
      client.on('error', end);
      upstream.on('error', end);
    });
  }

  /** Starts a proxy to `targetUrl` (http://host:port); its own URL is `url`. */
  static async start(targetUrl: string): Promise<LinkProxy & { url: string }> {
    const target = new URL(targetUrl);
    const proxy = new LinkProxy({ host: target.hostname, port: Number(target.port) });
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address() as net.AddressInfo;
    return Object.assign(proxy, { url: `http://127.0.0.1:${String(address.port)}` });
  }

  /** Links currently open. */
  get openLinks(): number {
    return this.links.size;
  }

  /** Silences every open link; they stay open. */
  blackhole(): void {
    for (const link of this.links) link.silent = true;
  }

  async close(): Promise<void> {
    for (const link of this.links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}
