import { OutboxModule } from '@app/entry-store';
import { ServiceTestbed, ServiceUnderTest, createServiceTestbed } from '../../../test/support/service-testbed';
import { KvEntryEnv } from '../src/config/kv-entry.env';
import { kvEntryDataSourceOptions } from '../src/database/data-source';
import { EntriesModule } from '../src/entries/entries.module';
import { ExpiryModule } from '../src/expiry/expiry.module';
import { NamespacesModule } from '../src/namespaces/namespaces.module';

/** The service's feature modules on a migrated scratch database; its outbox relay publishes for real, into a vhost of its own. */
export const kvEntryService: ServiceUnderTest = {
  name: 'kv_entry_it',
  envClass: KvEntryEnv,
  env: { KV_OUTBOX_POLL_INTERVAL_MS: 100 },
  dataSourceOptions: kvEntryDataSourceOptions,
  connection: { entities: [], autoLoadEntities: true, extra: { max: 25 } },
  imports: [OutboxModule, NamespacesModule, EntriesModule, ExpiryModule],
};

export type KvEntryTestbed = ServiceTestbed;

export interface TestbedOptions {
  /** How the service reaches the broker, e.g. through a TcpProxy the test can cut. */
  brokerUrl?: (vhostUrl: string) => string;
}

export function createTestbed(options: TestbedOptions = {}): Promise<KvEntryTestbed> {
  return createServiceTestbed(kvEntryService, options);
}
