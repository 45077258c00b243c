import { tracing } from './tracing';
import { ServiceQueue } from '@app/contracts';
import { bootstrapService } from '@app/service-kit';
import { KvEntryAppModule } from './kv-entry-app.module';

void bootstrapService(KvEntryAppModule, ServiceQueue.KV_ENTRY, tracing);
