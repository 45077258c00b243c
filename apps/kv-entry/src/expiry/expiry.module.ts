import { Module } from '@nestjs/common';
import { EntriesModule } from '../entries/entries.module';
import { ExpirySweeper } from './expiry-sweeper.service';

@Module({
  imports: [EntriesModule],
  providers: [ExpirySweeper],
  exports: [ExpirySweeper],
})
export class ExpiryModule {}
