import { DynamicModule, Global, Module } from '@nestjs/common';
import type { ChangeSource } from '@app/contracts';
import { ChangeLog } from '../changes/change-log';
import { changeLogHandlerOf } from '../changes/change-log.handler';
import { RequestOutcomes } from '../deduplication/request-outcomes';
import { CHANGE_SOURCE, OutboxRelay } from './outbox-relay';
import { OutboxTransactions } from './outbox-transactions';

/**
 * The outbox of an entry service: the transactions the feature services change data in, their outcomes, the relay, and
 * the change log it fills and answers queries of, under the service's name (`source`).
 */
@Global()
@Module({})
export class OutboxModule {
  static forService(source: ChangeSource): DynamicModule {
    const providers = [OutboxTransactions, OutboxRelay, RequestOutcomes, ChangeLog];
    return {
      module: OutboxModule,
      controllers: [changeLogHandlerOf(source)],
      providers: [...providers, { provide: CHANGE_SOURCE, useValue: source }],
      exports: providers,
    };
  }
}
