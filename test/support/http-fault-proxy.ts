import { createServer, request, Server } from 'node:http';

/**
 * An HTTP proxy to the gateway that the test can make answer 503 to every call but the watches, whose streams go
 * on: a gateway behind a load balancer that briefly has no healthy replica for new calls.
 */
export class HttpFaultProxy {
  private failing = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<HttpFaultProxy> {
    const upstream = new URL(target);
    let proxy: HttpFaultProxy | undefined;
    const server = createServer((incoming, outgoing) => {
      const isWatch = /\/watch(\?|$)/.test(incoming.url ?? '');
      if (proxy?.failing && !isWatch) {
        incoming.resume();
        outgoing.writeHead(503, { 'content-type': 'application/json' });
        outgoing.end(
          JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'no replica (test)', code: 'SERVICE_UNAVAILABLE' }),
        );
        return;
      }
      const forwarded = request(
        { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      outgoing.on('close', () => forwarded.destroy());
      incoming.pipe(forwarded);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('proxy has no port');
    proxy = new HttpFaultProxy(server, `http://127.0.0.1:${address.port}`);
    return proxy;
  }

  /** Every call but a watch answers 503 until `restore`; open watches go on. */
  fail(): void {
    this.failing = true;
  }

  restore(): void {
    this.failing = false;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
