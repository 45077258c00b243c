import { ChangeSource } from '@app/contracts';
import { ServiceTestbed, outboxServiceUnderTest, useServiceTestbed } from '../../../test/support/service-testbed';
import { KvEntryEnv } from '../src/config/kv-entry.env';
import { kvEntryDataSourceOptions } from '../src/database/data-source';
import { EntriesModule } from '../src/entries/entries.module';
import { ExpiryModule } from '../src/expiry/expiry.module';
import { NamespacesModule } from '../src/namespaces/namespaces.module';

/** The service's feature modules on a migrated scratch database; its outbox relay publishes for real, into a vhost of its own. */
export const kvEntryService = outboxServiceUnderTest({
  name: 'kv_entry_it',
  source: ChangeSource.KV_ENTRY,
  envClass: KvEntryEnv,
  dataSourceOptions: kvEntryDataSourceOptions,
  imports: [NamespacesModule, EntriesModule, ExpiryModule],
});

export type KvEntryTestbed = ServiceTestbed;

export interface TestbedOptions {
  /** How the service reaches the broker, e.g. through a TcpProxy the test can cut. */
  brokerUrl?: (vhostUrl: string) => string;
  /** Settings of the instance, over the testbed's. */
  env?: Record<string, unknown>;
}

/** The service for the describe block it is called in: started in its beforeAll, closed in its afterAll. */
export function useKvEntryTestbed(options: TestbedOptions = {}): KvEntryTestbed {
  return useServiceTestbed(kvEntryService, options);
}
