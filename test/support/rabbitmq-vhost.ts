import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { QUEUE_TYPES, QueueType } from '@app/service-kit';

/** Where tests reach the real broker; each run gets its own vhost on it. */
export const TEST_RABBITMQ_URL = process.env.KV_TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const RABBITMQCTL = process.env.KV_TEST_RABBITMQCTL ?? 'rabbitmqctl';

function queueTypeOfRun(variable: string): QueueType {
  const value = process.env[variable] ?? 'classic';
  if (!(QUEUE_TYPES as readonly string[]).includes(value)) throw new Error(`${variable} must be one of ${QUEUE_TYPES.join(', ')}`);
  return value as QueueType;
}

/**
 * The queue types of this run (`KV_RABBITMQ_QUEUE_TYPE=quorum npm test`), for every process a test starts: the processes
 * get no environment but the one they are given, and all declarations of a queue must agree.
 */
export const TEST_QUEUE_TYPES = {
  KV_RABBITMQ_QUEUE_TYPE: queueTypeOfRun('KV_RABBITMQ_QUEUE_TYPE'),
  KV_RABBITMQ_REQUEST_QUEUE_TYPE: queueTypeOfRun('KV_RABBITMQ_REQUEST_QUEUE_TYPE'),
};

function rabbitmqctl(...args: string[]): string {
  return execFileSync(RABBITMQCTL, ['-q', ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

/** The vhost a broker URL names (its path). */
const vhostOf = (url: string | URL): string => decodeURIComponent(new URL(url).pathname.slice(1)) || '/';

/** A queue as the broker reports it. */
export interface BrokerQueue {
  name: string;
  type: string;
  arguments: Record<string, unknown>;
  /** Every message it holds: ready, unacknowledged, and (a quorum queue) dead letters not yet taken by their queue. */
  messages: number;
  ready: number;
  unacknowledged: number;
}

/** The queues of the vhost of `url`, from the broker itself (`rabbitmqctl list_queues`). */
export function brokerQueues(url: string): BrokerQueue[] {
  const vhost = vhostOf(url);
  const items = ['name', 'type', 'arguments', 'messages', 'messages_ready', 'messages_unacknowledged'];
  const listed = JSON.parse(rabbitmqctl('list_queues', '-p', vhost, ...items, '--formatter', 'json')) as Array<{
    name: string;
    type: string;
    arguments: Array<[string, string, unknown]>;
    messages: number;
    messages_ready: number;
    messages_unacknowledged: number;
  }>;
  return listed.map((queue) => ({
    name: queue.name,
    type: queue.type,
    arguments: Object.fromEntries(queue.arguments.map(([name, , value]) => [name, value])),
    messages: queue.messages,
    ready: queue.messages_ready,
    unacknowledged: queue.messages_unacknowledged,
  }));
}

/** Deletes a queue of the vhost of `url`, as an operator does (`rabbitmqctl delete_queue`). */
export function deleteBrokerQueue(url: string, queue: string): void {
  rabbitmqctl('-p', vhostOf(url), 'delete_queue', queue);
}

/** A fresh vhost so that queues and exchanges of concurrent test runs never meet. */
export function createVhost(name: string): string {
  rabbitmqctl('add_vhost', name);
  const user = new URL(TEST_RABBITMQ_URL).username || 'guest';
  rabbitmqctl('set_permissions', '-p', name, user, '.*', '.*', '.*');
  const url = new URL(TEST_RABBITMQ_URL);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

export function deleteVhost(name: string): void {
  rabbitmqctl('delete_vhost', name);
}

/** A vhost named after `prefix` and a random suffix, with its URL; `delete()` removes it. */
export interface TestVhost {
  name: string;
  url: string;
  delete(): void;
}

export function createTestVhost(prefix: string): TestVhost {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  return { name, url: createVhost(name), delete: () => deleteVhost(name) };
}

/** A broker user of one vhost, for tests of what the broker refuses; `permit` sets its permissions there. */
export interface TestUser {
  url: string;
  /** Regular expressions of the resources it may configure, write to and read from (rabbitmqctl set_permissions). */
  permit(configure: string, write: string, read: string): void;
  delete(): void;
}

export function createTestUser(vhostUrl: string, prefix: string): TestUser {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const url = new URL(vhostUrl);
  const vhost = vhostOf(url);
  rabbitmqctl('add_user', name, password);
  url.username = name;
  url.password = password;
  return {
    url: url.toString(),
    permit: (configure, write, read) => rabbitmqctl('set_permissions', '-p', vhost, name, configure, write, read),
    delete: () => rabbitmqctl('delete_user', name),
  };
}

/** Messages in a queue, ready and unacknowledged, in the vhost of `vhostUrl`. */
export const queueDepth = (vhostUrl: string, queue: string): number =>
  brokerQueues(vhostUrl).find((listed) => listed.name === queue)?.messages ?? 0;
