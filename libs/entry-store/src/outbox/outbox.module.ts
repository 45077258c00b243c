import { Global, Module } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay';
import { OutboxTransactions } from './outbox-transactions';

/** The outbox of an entry service: the transactions the feature services change data in, and its relay. */
@Global()
@Module({
  providers: [OutboxTransactions, OutboxRelay],
  exports: [OutboxTransactions, OutboxRelay],
})
export class OutboxModule {}
