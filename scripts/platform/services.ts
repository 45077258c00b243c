import type { DataSourceOptions } from 'typeorm';
import { auditDataSourceOptions } from '../../apps/audit/src/database/data-source';
import { kvEntryDataSourceOptions } from '../../apps/kv-entry/src/database/data-source';
import { secretsDataSourceOptions } from '../../apps/secrets/src/database/data-source';

export type ServiceName = 'gateway' | 'kv-entry' | 'secrets' | 'audit';

/**
 * Node options of every platform process, as the image sets them (Dockerfile, `ENV NODE_OPTIONS`). Uncapped, V8 sizes its
 * heap by the machine's memory and collects lazily; 256 MB of old space leaves the 512 Mi container limit room for buffers
 * and code. Larger semi-spaces suit request handling, whose objects die young, for some more RSS (measured: docs/benchmark.md).
 */
export const PLATFORM_NODE_OPTIONS = '--max-old-space-size=256 --max-semi-space-size=32';

export interface ServiceDefinition {
  name: ServiceName;
  /** Compiled entry point, relative to the repository root. */
  entry: string;
  defaultPort: number;
  /** Path of the liveness/readiness endpoints on the service's HTTP port. */
  healthPath: string;
  /** The service's own database, with its migrations; the gateway has none. */
  database?: { defaultName: string; options: (url: string) => DataSourceOptions };
}

/** The four processes of the platform, in start order (the gateway last, so that it finds its services). */
export const SERVICES: readonly ServiceDefinition[] = [
  {
    name: 'kv-entry',
    entry: 'dist/apps/kv-entry/src/main.js',
    defaultPort: 8081,
    healthPath: '/health',
    database: { defaultName: 'kv_entry', options: kvEntryDataSourceOptions },
  },
  {
    name: 'secrets',
    entry: 'dist/apps/secrets/src/main.js',
    defaultPort: 8082,
    healthPath: '/health',
    database: { defaultName: 'kv_secrets', options: secretsDataSourceOptions },
  },
  {
    name: 'audit',
    entry: 'dist/apps/audit/src/main.js',
    defaultPort: 8083,
    healthPath: '/health',
    database: { defaultName: 'kv_audit', options: auditDataSourceOptions },
  },
  { name: 'gateway', entry: 'dist/apps/gateway/src/main.js', defaultPort: 8080, healthPath: '/api/v1/kv/health' },
];
