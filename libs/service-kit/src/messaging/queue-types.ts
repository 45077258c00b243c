import type { Options } from 'amqplib';

/** What a durable queue of the platform can be: RabbitMQ's classic queue, on one node, or a quorum queue, replicated (Raft). */
export const QUEUE_TYPES = ['classic', 'quorum'] as const;
export type QueueType = (typeof QUEUE_TYPES)[number];

/**
 * The declaration of a durable queue of `type`; `quorumArguments` are what only a quorum queue takes. A classic queue is
 * declared as before the setting existed (no `x-queue-type`), so that the queues of a running platform still match: the
 * broker refuses a declaration whose arguments differ from the queue's (PRECONDITION_FAILED).
 */
export function durableQueueOptions(type: QueueType, quorumArguments: Record<string, string> = {}): Options.AssertQueue {
  return type === 'quorum' ? { durable: true, arguments: { 'x-queue-type': 'quorum', ...quorumArguments } } : { durable: true };
}
