import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { TracingEnv } from '../config/tracing-env';
import { platformInstrumentations, traceExporterFor, tracingSampler } from './tracing-sdk';

// Random, as the SDK makes them: the ratio sampler reads a trace id's low bits.
const traceIds = Array.from({ length: 2000 }, () => randomBytes(16).toString('hex'));

function decide(ratio: number, parent: TraceFlags | undefined, traceId: string): SamplingDecision {
  const context =
    parent === undefined
      ? ROOT_CONTEXT
      : trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: '00f067aa0ba902b7', traceFlags: parent, isRemote: true });
  return tracingSampler(ratio).shouldSample(context, traceId, 'span', SpanKind.SERVER, {}, []).decision;
}

const sampledShare = (ratio: number) =>
  traceIds.filter((traceId) => decide(ratio, undefined, traceId) === SamplingDecision.RECORD_AND_SAMPLED).length / traceIds.length;

describe('tracingSampler', () => {
  it('samples the traces it starts at the ratio', () => {
    expect(sampledShare(0)).toBe(0);
    expect(sampledShare(1)).toBe(1);
    expect(sampledShare(0.25)).toBeGreaterThan(0.15);
    expect(sampledShare(0.25)).toBeLessThan(0.35);
  });

  it("follows the caller's decision, whatever the ratio: a trace is never cut in the middle", () => {
    for (const traceId of traceIds.slice(0, 50)) {
      expect(decide(0, TraceFlags.SAMPLED, traceId)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(decide(1, TraceFlags.NONE, traceId)).toBe(SamplingDecision.NOT_RECORD);
    }
  });
});

describe('traceExporterFor', () => {
  const env = (protocol: TracingEnv['KV_TRACING_OTLP_PROTOCOL']) =>
    Object.assign(new TracingEnv(), { KV_TRACING_OTLP_ENDPOINT: 'http://collector:4318/v1/traces', KV_TRACING_OTLP_PROTOCOL: protocol });

  it('exports in the encoding asked for', async () => {
    const protobuf = traceExporterFor(env('http/protobuf'));
    const json = traceExporterFor(env('http/json'));
    expect(protobuf).toBeInstanceOf(OtlpProtobufTraceExporter);
    expect(json).toBeInstanceOf(OtlpJsonTraceExporter);
    await Promise.all([protobuf.shutdown(), json.shutdown()]);
  });
});

describe('platformInstrumentations', () => {
  const instrumentations = platformInstrumentations();
  afterAll(() => instrumentations.forEach((instrumentation) => instrumentation.disable()));

  it('instruments HTTP, Fastify, pg and amqplib', () => {
    expect(instrumentations.map((instrumentation) => instrumentation.instrumentationName)).toEqual([
      '@opentelemetry/instrumentation-http',
      '@fastify/otel',
      '@opentelemetry/instrumentation-pg',
      '@opentelemetry/instrumentation-amqplib',
    ]);
  });

  it('records no HTTP header and no statement parameter', () => {
    const http = instrumentations.find((instrumentation) => instrumentation instanceof HttpInstrumentation)!;
    expect(http.getConfig()).not.toHaveProperty('headersToSpanAttributes');
    const pg = instrumentations.find((instrumentation) => instrumentation instanceof PgInstrumentation)!;
    expect(pg.getConfig()).toMatchObject({ enhancedDatabaseReporting: false, requireParentSpan: true });
  });

  it('starts no trace for a probe or a scrape', () => {
    const http = instrumentations.find((instrumentation) => instrumentation instanceof HttpInstrumentation) as HttpInstrumentation;
    const ignore = http.getConfig().ignoreIncomingRequestHook!;
    const request = (url: string) => ({ url }) as Parameters<typeof ignore>[0];
    expect(ignore(request('/api/v1/kv/health/ready'))).toBe(true);
    expect(ignore(request('/metrics'))).toBe(true);
    expect(ignore(request('/api/v1/kv/namespaces'))).toBe(false);
  });
});
