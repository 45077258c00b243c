import { Module } from '@nestjs/common';
import { EntriesModule } from '../entries/entries.module';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { WatchModule } from '../watch/watch.module';
import { KvEventSubscription } from './kv-event-subscription.service';

@Module({
  imports: [NamespacesModule, EntriesModule, WatchModule],
  providers: [KvEventSubscription],
})
export class EventsModule {}
