/**
 * A collector that keeps nothing: the traced platform's exports need an endpoint that answers at once, or its failed
 * exports (and their retries) would be what the bench measures. It counts what it was sent, to show tracing was on.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpSink {
  /** The OTLP/HTTP traces endpoint, for KV_TRACING_OTLP_ENDPOINT. */
  url: string;
  /** Export requests and their bytes received so far. */
  received(): { exports: number; bytes: number };
  stop(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  let exports = 0;
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      exports += 1;
      // An empty ExportTraceServiceResponse: OTLP/HTTP takes an empty body with 200 as success.
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    received: () => ({ exports, bytes }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
