/** Durable request/reply queues, one per service. Never renamed without a migration plan. */
export const ServiceQueue = {
  KV_ENTRY: 'kv-entry',
  SECRETS: 'secrets',
  AUDIT: 'audit',
} as const;

export type ServiceQueue = (typeof ServiceQueue)[keyof typeof ServiceQueue];
