import { createServer, Server } from 'node:http';
import { LATENCY_BUCKETS, METRICS_PATH } from '@app/service-kit';
import type { FastifyInstance } from 'fastify';
import { Histogram, Registry } from 'prom-client';

/**
 * Requests at the gateway by route template (never the raw URL: keys and ids would make every path its
 * own series), method and status, with their latency.
 */
export function recordHttpMetrics(instance: FastifyInstance, registry: Registry): void {
  const requests = new Histogram({
    name: 'kv_http_request_duration_seconds',
    help: 'Gateway requests by route template, method and status, with their latency',
    labelNames: ['route', 'method', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  instance.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.observe({ route, method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}

/**
 * The gateway's metrics, served on their own port: the gateway's main port is public and every route on
 * it is authenticated, while Prometheus scrapes from inside the cluster without a token.
 */
export async function serveMetrics(registry: Registry, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== METRICS_PATH) {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', resolve));
  return server;
}
