import { Module } from '@nestjs/common';
import { EntriesModule } from '../entries/entries.module';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { KvEventSubscription } from './kv-event-subscription.service';

@Module({
  imports: [NamespacesModule, EntriesModule],
  providers: [KvEventSubscription],
})
export class EventsModule {}
