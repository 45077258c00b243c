// The runtime every process shares. What needs a database is in `@app/service-kit/database`, so that
// the gateway, which has none, never loads TypeORM.
export * from './config/common-env';
export * from './config/tracing-env';
export * from './config/validate-env';
export * from './rpc/rpc-exception.filter';
export * from './rpc/rpc-validation.pipe';
export * from './logging/logger.module';
export * from './logging/request-context';
export * from './health/health.module';
export * from './health/broker-links';
export * from './health/management-paths';
export * from './bootstrap/bootstrap-service';
export * from './rpc/service-error.filter';
export * from './errors/pg-errors';
export * from './pagination/pagination';
export * from './messaging/broker-connection';
export * from './messaging/coalesced-frame-writes';
export * from './messaging/confirm-publisher';
export * from './messaging/queue-types';
export * from './metrics/metrics';
export * from './metrics/metrics.module';
export * from './rpc/rpc-server';
export * from './rpc/rpc-client';
export * from './rpc/rpc-wire';
