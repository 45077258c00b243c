// The env classes' decorators need it, and this runs before Nest would load it.
import 'reflect-metadata';
import { TracingEnv } from '../config/tracing-env';
import { envValidator } from '../config/validate-env';
import type * as TracingSdk from './tracing-sdk';

/** A process's tracing, to flush and stop once the process has finished its work. */
export interface Tracing {
  readonly enabled: boolean;
  shutdown(): Promise<void>;
}

const NO_TRACING: Tracing = { enabled: false, shutdown: () => Promise.resolve() };

const validateTracingEnv = envValidator(TracingEnv);

/**
 * Starts tracing when KV_TRACING_ENABLED says so. Called by the first import of each `main.ts`: an instrumentation
 * patches a module (http, fastify, pg, amqplib) as it is loaded, so the SDK must be running before any of them is.
 * Bad tracing settings stop the process here, before anything else starts.
 */
export function startTracing(serviceName: string, source: Record<string, unknown> = process.env): Tracing {
  const env = validateTracingEnv(source);
  if (!env.KV_TRACING_ENABLED) return NO_TRACING;
  // Loaded only when on: the SDK and its instrumentations would otherwise cost every process memory and start-up time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startTracingSdk } = require('./tracing-sdk') as typeof TracingSdk;
  const sdk = startTracingSdk(serviceName, env);
  return { enabled: true, shutdown: () => sdk.shutdown() };
}
