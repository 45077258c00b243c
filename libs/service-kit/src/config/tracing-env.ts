import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNumber, IsUrl, Max, Min } from 'class-validator';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/**
 * Tracing (OpenTelemetry), which every process reads before anything else loads (see `startTracing`) and its
 * `ConfigModule` validates again with the rest. Off unless KV_TRACING_ENABLED=true.
 */
export class TracingEnv {
  // From the raw value: implicit conversion would make the string "false" true.
  @Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
    const raw = obj[key];
    return raw === 'true' ? true : raw === 'false' ? false : raw;
  })
  @IsBoolean({ message: 'KV_TRACING_ENABLED must be true or false' })
  KV_TRACING_ENABLED: boolean = false;

  /**
   * The share of traces started here (requests with no sampled parent) that are recorded; a request whose caller
   * sampled it is recorded whatever this says, so that a trace is never cut in the middle.
   */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  KV_TRACING_SAMPLE_RATIO: number = 0.1;

  /** The OTLP/HTTP traces endpoint (a collector's, usually on the same node), its path included. */
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  KV_TRACING_OTLP_ENDPOINT: string = 'http://127.0.0.1:4318/v1/traces';

  @IsIn(OTLP_PROTOCOLS)
  KV_TRACING_OTLP_PROTOCOL: OtlpProtocol = 'http/protobuf';
}
