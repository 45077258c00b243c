// The domain the two entry services share (kv-entry's plain entries, the secrets service's encrypted
// ones): entry errors, TTL and the expiry sweep, the transactional outbox and its events, and
// the namespace authorization they both apply.
export * from './authorization/namespace-authorization';
export * from './changes/add-change-log.migration';
export * from './changes/change-log';
export * from './changes/change-log-tables';
export * from './config/entry-service-env';
export * from './deduplication/add-request-outcomes.migration';
export * from './deduplication/call-identity';
export * from './deduplication/request-outcome-tables';
export * from './deduplication/request-outcomes';
export * from './deduplication/stored-outcome';
export * from './entries/entry-errors';
export * from './entries/entry-table';
export * from './entries/key-listing';
export * from './entries/like-pattern';
export * from './entries/ttl';
export * from './expiry/expiry-sweeper';
export * from './outbox/change';
export * from './outbox/event-envelope';
export * from './outbox/kv-events';
export * from './outbox/outbox-relay';
export * from './outbox/outbox-table';
export * from './outbox/outbox-transactions';
export * from './outbox/outbox.module';
