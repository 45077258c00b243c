import { Module } from '@nestjs/common';
import { SecretEntriesModule } from '../entries/secret-entries.module';
import { SecretExpirySweeper } from './secret-expiry-sweeper.service';

@Module({
  imports: [SecretEntriesModule],
  providers: [SecretExpirySweeper],
  exports: [SecretExpirySweeper],
})
export class ExpiryModule {}
