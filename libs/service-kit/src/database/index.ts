// The runtime of a process that owns a database (TypeORM and pg): `@app/service-kit/database`.
export * from './database-pool.metrics';
export * from './prepared-statements';
export * from './reads-per-turn';
export * from './service-runtime.module';
