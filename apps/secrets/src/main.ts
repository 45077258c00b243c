import { tracing } from './tracing';
import { ServiceQueue } from '@app/contracts';
import { bootstrapService } from '@app/service-kit';
import { SecretsAppModule } from './secrets-app.module';

void bootstrapService(SecretsAppModule, ServiceQueue.SECRETS, tracing);
