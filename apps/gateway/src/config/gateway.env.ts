import { applyDecorators } from '@nestjs/common';
import { CommonEnv, envValidator } from '@app/service-kit';
import { Transform } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidationArguments,
  isIP,
} from 'class-validator';
import type { GatewayHttpOptions } from '../http/fastify-adapter';

const MIB = 1024 * 1024;

/** The body limit must leave room for the largest value plus its JSON envelope. */
function IsGreaterThanField(field: keyof GatewayEnv) {
  return ValidateBy({
    name: 'isGreaterThanField',
    constraints: [field],
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        typeof value === 'number' && value > Number((args?.object as Record<string, unknown>)[field]),
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must be greater than ${String(args?.constraints[0])}`,
    },
  });
}

/** One key source only: a configuration naming two is ambiguous. */
function IsAbsentWhenSet(field: keyof GatewayEnv) {
  return ValidateBy({
    name: 'isAbsentWhenSet',
    constraints: [field],
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => !(args?.object as Record<string, unknown>)[field],
      defaultMessage: (args?: ValidationArguments) => `set either ${String(args?.constraints[0])} or ${args?.property}, not both`,
    },
  });
}

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length: what proxy-addr (Fastify's `trustProxy`) takes. */
function isAddressOrRange(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const [address, bits, ...rest] = value.split('/');
  const version = isIP(address ?? '') ? (address!.includes(':') ? 6 : 4) : 0;
  if (version === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

const IsAddressOrRange = () =>
  ValidateBy(
    {
      name: 'isAddressOrRange',
      validator: {
        validate: (value: unknown) => isAddressOrRange(value),
        defaultMessage: (args?: ValidationArguments) => `each of ${args?.property} must be an IP address or a CIDR range (e.g. 10.0.0.0/8)`,
      },
    },
    { each: true },
  );

/** One way of naming the trusted proxies: hops or addresses, not both. */
function IsZeroWhenListed() {
  return ValidateBy({
    name: 'isZeroWhenListed',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        value === 0 || ((args?.object as GatewayEnv).KV_TRUSTED_PROXIES ?? []).length === 0,
      defaultMessage: () => 'set either KV_TRUSTED_PROXIES or KV_TRUSTED_PROXY_HOPS, not both',
    },
  });
}

/** The window of a rate limit: whole seconds, a day at most. */
const IsWindowSeconds = () => applyDecorators(IsInt(), Min(1), Max(24 * 3600));

/** The gateway's settings, read and checked once at start-up. */
export class GatewayEnv extends CommonEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  KV_HTTP_PORT: number = 8080;

  /** Prometheus metrics (`GET /metrics`), on a port of their own that is never routed publicly. */
  @IsInt()
  @Min(0)
  @Max(65535)
  KV_METRICS_PORT: number = 9080;

  /** How long the gateway waits for a service's reply; also the TTL of the request message in the queue. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  KV_RPC_TIMEOUT_MS: number = 5000;

  @IsInt()
  @Min(1024)
  @Max(1024 * MIB)
  @IsGreaterThanField('KV_MAX_VALUE_BYTES')
  KV_MAX_BODY_BYTES: number = 16 * MIB;

  /** Arrays and objects a request body may nest, the body itself counted: a JSON value inside gets one less. */
  @IsInt()
  @Min(4)
  @Max(1000)
  KV_MAX_BODY_DEPTH: number = 64;

  /**
   * The proxies (an Ingress controller, a load balancer) whose `X-Forwarded-For` names the client, as a
   * comma-separated list of addresses or CIDR ranges. Empty: the peer is the client and the header is ignored.
   */
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : value,
  )
  @IsArray()
  @IsAddressOrRange()
  KV_TRUSTED_PROXIES: string[] = [];

  /**
   * Instead of addresses: how many proxies stand in front of the gateway, whatever their addresses (1 for
   * an Ingress the NetworkPolicy makes the only peer). The client is the address that many hops back in
   * `X-Forwarded-For`, so that entries a caller wrote itself further left are never believed.
   */
  @IsInt()
  @Min(0)
  @Max(10)
  @IsZeroWhenListed()
  KV_TRUSTED_PROXY_HOPS: number = 0;

  /** HS256 key; required unless tokens are verified against a JWKS. */
  @ValidateIf((env: GatewayEnv) => !env.KV_JWT_JWKS_URL)
  @IsString()
  @MinLength(32, { message: 'KV_JWT_SECRET must be at least 32 characters (or set KV_JWT_JWKS_URL)' })
  // The example files' placeholder is public: a gateway started with it would accept anyone's tokens.
  @Matches(/^(?!.*(replace-me|change-me))/i, {
    message: 'KV_JWT_SECRET is still the example placeholder: generate one (openssl rand -base64 48)',
  })
  KV_JWT_SECRET?: string;

  /** Verify RS256/ES256 tokens against this key set instead of an HS256 secret. */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  @IsAbsentWhenSet('KV_JWT_SECRET')
  KV_JWT_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  KV_JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  KV_JWT_AUDIENCE?: string;

  /**
   * How long a namespace's descriptor (its kind, application, TTL and version cap) is reused to route
   * entry calls without asking kv-entry again; 0 asks every time. Namespace events evict it sooner;
   * this bounds how long a change can go unseen should its event be lost.
   */
  @IsInt()
  @Min(0)
  @Max(60_000)
  KV_NAMESPACE_CACHE_TTL_MS: number = 5000;

  /**
   * Copies of plain entries kept for reads that accept them (`Cache-Control: max-age=N`), evicted when
   * an event on kv.events says they changed; 0 turns them off. Secrets are never kept. Counted as the
   * entries' JSON size: the heap holds a few times that, within the process's heap cap.
   */
  @IsInt()
  @Min(0)
  @Max(256 * MIB)
  KV_ENTRY_CACHE_MAX_BYTES: number = 16 * MIB;

  /** The longest a plain entry is served from memory: the bound on staleness should its change event be late. */
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  KV_ENTRY_CACHE_MAX_AGE_MS: number = 60_000;

  /**
   * How long the gateway waits for the broker to confirm an audit record. A read of a secret's value
   * whose record is not confirmed in time answers 503 without the value; any other record is given up.
   */
  @IsInt()
  @Min(100)
  @Max(60_000)
  KV_AUDIT_PUBLISH_TIMEOUT_MS: number = 2000;

  /** Audit records that nothing waits for (plain reads, refusals) sent in one message at most; 1: each alone. */
  @IsInt()
  @Min(1)
  @Max(500)
  KV_AUDIT_BATCH_MAX: number = 100;

  /** How long such a record waits for others to share its message; longer lingers made fuller batches (measured: docs/benchmark.md). */
  @IsInt()
  @Min(0)
  @Max(1000)
  KV_AUDIT_BATCH_LINGER_MS: number = 25;

  /** Open watches (GET /{nsId}/watch) one principal may hold on this gateway; 429 WATCH_LIMIT_REACHED beyond. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  KV_WATCH_MAX_PER_PRINCIPAL: number = 32;

  /**
   * Open watches this gateway holds at most, all principals together. Each holds about 20 KB of heap (docs/benchmark.md):
   * 5000 keep a replica within its 256 MB heap with room for the rest; raise both together.
   */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  KV_WATCH_MAX_PER_GATEWAY: number = 5000;

  /**
   * How often an idle watch sends a heartbeat comment: well inside common proxy read timeouts (60 s for NGINX), and
   * inside the client library's 45 s of silence after which it takes the connection as dead.
   */
  @IsInt()
  @Min(1000)
  @Max(30_000)
  KV_WATCH_HEARTBEAT_MS: number = 15_000;

  /** How long a watch waits for its client to take what was sent before it ends it (`SLOW_CONSUMER`): nothing queues beyond. */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  KV_WATCH_SLOW_CONSUMER_TIMEOUT_MS: number = 30_000;

  /** How often the change logs are read while anyone watches, should a doorbell on kv.changes be lost. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  KV_WATCH_POLL_INTERVAL_MS: number = 1000;

  /** Recent changes each feed keeps in memory for the watches that keep up (about 0.5 KiB each). */
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  KV_WATCH_FEED_RETAINED: number = 10_000;

  /**
   * The web console's built files (`npm run build` writes them to dist/console), relative to the working directory:
   * served at /api/v1/kv/ui/. A gateway without them starts all the same and answers 404 there.
   */
  @IsString()
  @MinLength(1)
  KV_CONSOLE_DIR: string = 'dist/console';

  @IsInt()
  @Min(1)
  KV_RATE_LIMIT_REQUESTS: number = 50_000;

  @IsWindowSeconds()
  KV_RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /**
   * Refused calls (no or a bad token, 401; a missing permission, 403) a client address may make per
   * window; past it, a call from there whose token the gateway has not already verified is answered 429
   * before any verification, audit record or message.
   */
  @IsInt()
  @Min(1)
  KV_REFUSED_RATE_LIMIT_REQUESTS: number = 100;

  @IsWindowSeconds()
  KV_REFUSED_RATE_LIMIT_WINDOW_SECONDS: number = 60;
}

export const validateGatewayEnv = envValidator(GatewayEnv);

/**
 * The environment, validated; for `main.ts`, which needs the body limit before Nest (and its
 * `ConfigModule`, which validates the same variables with the same function) exists.
 */
export function readGatewayEnv(source: Record<string, unknown> = process.env): GatewayEnv {
  return validateGatewayEnv(source);
}

export function gatewayHttpOptionsOf(env: GatewayEnv): GatewayHttpOptions {
  return {
    bodyLimit: env.KV_MAX_BODY_BYTES,
    maxBodyDepth: env.KV_MAX_BODY_DEPTH,
    trustedProxies: env.KV_TRUSTED_PROXY_HOPS > 0 ? env.KV_TRUSTED_PROXY_HOPS : env.KV_TRUSTED_PROXIES,
  };
}
