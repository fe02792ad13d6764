import { Server, Socket, createConnection, createServer } from 'node:net';

/**
 * A TCP relay in front of a real server, for outage tests: `cut()` refuses new connections
 * and drops open ones, as a database that went down would; `restore()` listens again on the
 * same port. Only what connects through the relay sees the outage — the real server keeps
 * serving every other test.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Starts relaying on a free loopback port (or the one it had before). */
  async start(): Promise<this> {
    const server = createServer((client) => {
      const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(from);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          this.sockets.delete(from);
          to.destroy();
        });
        from.pipe(to);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
    return this;
  }

  /** The outage: nothing gets through until `restore()`. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    await this.start();
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}

/**
 * A relay in front of the MongoDB server of `uri`, and the URI that reaches it through the
 * relay (a direct connection: the driver must not discover the real host and go around it).
 */
export async function mongoBehindProxy(uri: string): Promise<{ proxy: TcpProxy; uri: string }> {
  const match = /^mongodb:\/\/(?:[^@/]*@)?([^/:?,]+):(\d+)/.exec(uri);
  if (!match) throw new Error(`cannot proxy MongoDB URI ${uri}: one mongodb://host:port expected`);
  const [, host, port] = match;
  const proxy = await new TcpProxy(host, Number(port)).start();
  let proxied = uri.replace(`${host}:${port}`, `127.0.0.1:${proxy.port}`);
  if (!/directConnection=/.test(proxied)) proxied += `${proxied.includes('?') ? '&' : /:\d+$/.test(proxied) ? '/?' : '?'}directConnection=true`;
  return { proxy, uri: proxied };
}
