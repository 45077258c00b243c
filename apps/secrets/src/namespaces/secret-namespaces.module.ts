import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { SecretNamespacesHandler } from './secret-namespaces.handler';
import { SecretNamespacesService } from './secret-namespaces.service';

@Module({
  imports: [KeysModule],
  controllers: [SecretNamespacesHandler],
  providers: [SecretNamespacesService],
})
export class SecretNamespacesModule {}
