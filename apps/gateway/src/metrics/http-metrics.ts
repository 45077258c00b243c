import { createServer, Server } from 'node:http';
import { LATENCY_BUCKETS, METRICS_PATH } from '@app/service-kit';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditTrail } from '../audit/audit-trail';
import type { WatchRegistry } from '../watch/watch-registry';
import type { EntryCache } from '../entries/entry-cache';

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
export async function serveMetrics(registry: Registry, port: number, host: string): Promise<Server> {
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
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}

/** How plain entry reads were served (`hit`: from memory), how many entries the cache holds, and whether it serves. */
export function recordWatchMetrics(registry: Pick<WatchRegistry, 'size'>, metrics: Registry): void {
  new Gauge({
    name: 'kv_gateway_watches_open',
    help: 'Watches (GET /{nsId}/watch) this gateway streams now; KV_WATCH_MAX_PER_GATEWAY bounds them',
    registers: [metrics],
    collect() {
      this.set(registry.size);
    },
  });
}

export function recordEntryCacheMetrics(cache: Pick<EntryCache, 'outcomes' | 'size' | 'serving'>, registry: Registry): void {
  new Counter({
    name: 'kv_gateway_entry_cache_reads_total',
    help: 'Plain entry reads with Cache-Control: max-age, by how they were served: hit (a kept copy) or miss (kv-entry, kept when it may be)',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [outcome, count] of Object.entries(cache.outcomes)) this.inc({ outcome }, count);
    },
  });
  new Gauge({
    name: 'kv_gateway_entry_cache_entries',
    help: 'Plain entries held in the gateway cache',
    registers: [registry],
    collect() {
      this.set(cache.size);
    },
  });
  new Gauge({
    name: 'kv_gateway_entry_cache_serving',
    help: '1 while kept entry copies are served (the kv.events subscription is live), else 0',
    registers: [registry],
    collect() {
      this.set(cache.serving ? 1 : 0);
    },
  });
}

/** Audit records that broke the audit contract before they were published: sanitized (sent with stand-ins) or dropped. */
export function recordAuditTrailMetrics(trail: Pick<AuditTrail, 'contractBreaches'>, registry: Registry): void {
  new Counter({
    name: 'kv_gateway_audit_contract_breaches_total',
    help: 'Audit records the gateway built that broke the audit contract, by outcome: sanitized (published with the breaking fields replaced) or dropped',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [outcome, count] of Object.entries(trail.contractBreaches)) this.inc({ outcome }, count);
    },
  });
}
