import { tracing } from './tracing';
import { ServiceQueue } from '@app/contracts';
import { bootstrapService } from '@app/service-kit';
import { AuditAppModule } from './audit-app.module';

void bootstrapService(AuditAppModule, ServiceQueue.AUDIT, tracing);
