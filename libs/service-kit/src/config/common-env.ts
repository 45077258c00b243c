import { IsIP, IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { QUEUE_TYPES, QueueType } from '../messaging/queue-types';
import { TracingEnv } from './tracing-env';

/** Settings every process shares. Each app's env class extends this one. */
export class CommonEnv extends TracingEnv {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  KV_LOG_LEVEL: string = 'info';

  @IsString()
  @Matches(/^amqps?:\/\//, { message: 'KV_RABBITMQ_URL must be an amqp:// or amqps:// URL' })
  KV_RABBITMQ_URL: string = 'amqp://guest:guest@127.0.0.1:5672';

  /**
   * The type of `audit.records` and its dead-letter queue, which every process declares: quorum on a cluster, where a
   * classic queue is lost with its node's disk. A queue's type never changes in place (docs/operations.md).
   */
  @IsIn(QUEUE_TYPES)
  KV_RABBITMQ_QUEUE_TYPE: QueueType = 'classic';

  /**
   * The type of the services' request queues, which the gateway declares too: a setting of its own, as quorum costs every
   * request a replicated write (measured: docs/benchmark.md).
   */
  @IsIn(QUEUE_TYPES)
  KV_RABBITMQ_REQUEST_QUEUE_TYPE: QueueType = 'classic';

  @IsInt()
  @Min(1024)
  @Max(256 * 1024 * 1024)
  KV_MAX_VALUE_BYTES: number = 1024 * 1024;

  /**
   * Where the unauthenticated management ports listen: the services' health and metrics port, the
   * gateway's metrics port. Loopback unless told otherwise; Kubernetes sets 0.0.0.0 so that the kubelet's
   * probes and the scraper reach them, behind the NetworkPolicy that admits only those.
   */
  @IsIP()
  KV_MANAGEMENT_BIND_ADDRESS: string = '127.0.0.1';
}

/** Settings of a service that owns a database and listens on a queue. */
export class ServiceEnv extends CommonEnv {
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'KV_DATABASE_URL must be a postgres:// URL' })
  KV_DATABASE_URL!: string;

  @IsInt()
  @Min(1)
  @Max(200)
  KV_DATABASE_POOL_SIZE: number = 10;

  /** Port of the small HTTP server for health (and metrics). */
  @IsInt()
  @Min(0)
  @Max(65535)
  KV_HTTP_PORT!: number;

  @IsInt()
  @Min(1)
  @Max(10000)
  KV_RABBITMQ_PREFETCH: number = 64;
}
