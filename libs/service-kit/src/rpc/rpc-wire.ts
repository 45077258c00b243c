/**
 * The request/reply protocol between the gateway and the services, over RabbitMQ's direct reply-to: a request is the
 * handler's payload as JSON with its pattern in the message's `type`; a reply is `{ reply }` or `{ error }` as JSON.
 * Both ends are ours (RpcClient, ServiceRpcServer), so nothing of Nest's envelope is on the wire.
 */

/** RabbitMQ's pseudo-queue of direct replies: no queue to declare, the reply goes straight to the asking channel. */
export const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

export const JSON_CONTENT_TYPE = 'application/json';

/**
 * The `type` of every reply: a reply without it comes from a peer of another protocol (Nest's RMQ transport, before
 * this one), whose answers must not pass for a reply of nothing.
 */
export const REPLY_TYPE = 'kv.rpc.reply';

/** What a service answers: its handler's value (absent for none, a delete say), or the error it was refused with. */
export type RpcOutcome = { reply?: unknown } | { error: unknown };

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** A reply's body; a body that is not such an object is a fault of the other end, answered as an error of no code. */
export function decodeOutcome(content: Buffer): RpcOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.toString('utf8'));
  } catch {
    return { error: { malformed: 'reply is not JSON' } };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: { malformed: 'reply is not an object' } };
  return 'error' in parsed ? { error: (parsed as { error: unknown }).error } : { reply: (parsed as { reply?: unknown }).reply };
}

/** A request's payload: an object, or undefined (answered as a validation failure by the server). */
export function decodeRequest(content: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(content.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
