import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK, core, resources } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler, Sampler, SpanExporter, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import type { TracingEnv } from '../config/tracing-env';
import { isManagementRequest } from '../health/management-paths';
import { RedactingSpanProcessor } from './redacting-span-processor';

/**
 * A trace is decided where it starts: a request with no parent is recorded at `ratio`, and every hop after it follows
 * the caller's decision (carried in `traceparent`), so a recorded trace is whole across the processes.
 */
export function tracingSampler(ratio: number): Sampler {
  return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
}

export function traceExporterFor(env: TracingEnv): SpanExporter {
  const options = { url: env.KV_TRACING_OTLP_ENDPOINT };
  return env.KV_TRACING_OTLP_PROTOCOL === 'http/json' ? new OtlpJsonTraceExporter(options) : new OtlpProtobufTraceExporter(options);
}

/**
 * What is recorded, and what never is: no HTTP header (no `headersToSpanAttributes`, so never Authorization), no body,
 * no statement parameter (`enhancedDatabaseReporting` off: a plain value is a parameter), no message content (amqplib's
 * instrumentation records exchange, routing key and ids only). Probes and scrapes start no trace; a query outside a
 * traced request (the outbox relay's, the expiry sweep's) records nothing.
 */
export function platformInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request: IncomingMessage) => isManagementRequest(request.url ?? '') }),
    // A request's span and its handler's, not one per hook: the gateway runs seven hooks a request, all quick.
    new FastifyOtelInstrumentation({
      registerOnInitialization: true,
      instrumentHooks: false,
      ignorePaths: ({ url }) => isManagementRequest(url),
    }),
    new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    // The consumer span continues the publisher's trace: a request and its reply are one trace across the broker.
    new AmqplibInstrumentation({ useLinksForConsume: false }),
  ];
}

/**
 * Starts the OpenTelemetry SDK for `serviceName` with the platform's instrumentations, exporting over OTLP/HTTP. Only
 * traces: the SDK's metrics and logs, which it would otherwise set up from OTEL_* variables, stay off (Prometheus has
 * the metrics, pino the logs).
 */
export function startTracingSdk(serviceName: string, env: TracingEnv): NodeSDK {
  const sdk = new NodeSDK({
    resource: resources.resourceFromAttributes({
      'service.name': serviceName,
      'service.namespace': 'kv-service',
      'service.instance.id': randomUUID(),
    }),
    // The host's name only: the process detector would export the command line and the env detector OTEL_* variables.
    resourceDetectors: [resources.hostDetector],
    textMapPropagator: new core.W3CTraceContextPropagator(),
    sampler: tracingSampler(env.KV_TRACING_SAMPLE_RATIO),
    // An export waits for an absent collector 5 s at most (30 s by default): a stop flushes, inside its grace period.
    spanProcessors: [new RedactingSpanProcessor(), new BatchSpanProcessor({ exporter: traceExporterFor(env), exportTimeoutMillis: 5000 })],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: platformInstrumentations(),
  });
  sdk.start();
  return sdk;
}
