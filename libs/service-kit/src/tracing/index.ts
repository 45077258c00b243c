// Imported before anything else by each main.ts (see startTracing): nothing here may load an instrumented module.
export * from './start-tracing';
