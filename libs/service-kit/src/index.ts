export * from './config/common-env';
export * from './config/validate-env';
export * from './rpc/rmq-options';
export * from './rpc/rpc-exception.filter';
export * from './rpc/rpc-validation.pipe';
export * from './logging/logger.module';
export * from './health/health.module';
export * from './bootstrap/bootstrap-service';
