import { Global, Module } from '@nestjs/common';
import { RequestOutcomes } from '../deduplication/request-outcomes';
import { OutboxRelay } from './outbox-relay';
import { OutboxTransactions } from './outbox-transactions';

/** The outbox of an entry service: the transactions the feature services change data in, their outcomes, and the relay. */
@Global()
@Module({
  providers: [OutboxTransactions, OutboxRelay, RequestOutcomes],
  exports: [OutboxTransactions, OutboxRelay, RequestOutcomes],
})
export class OutboxModule {}
