import { Module } from '@nestjs/common';
import { EntriesModule } from '../entries/entries.module';
import { EntryExpirySweeper } from './expiry-sweeper.service';

@Module({
  imports: [EntriesModule],
  providers: [EntryExpirySweeper],
  exports: [EntryExpirySweeper],
})
export class ExpiryModule {}
