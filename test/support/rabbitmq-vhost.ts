import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** Where tests reach the real broker; each run gets its own vhost on it. */
export const TEST_RABBITMQ_URL = process.env.KV_TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const RABBITMQCTL = process.env.KV_TEST_RABBITMQCTL ?? 'rabbitmqctl';

function rabbitmqctl(...args: string[]): void {
  execFileSync(RABBITMQCTL, ['-q', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
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
  const vhost = decodeURIComponent(url.pathname.slice(1)) || '/';
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
export function queueDepth(vhostUrl: string, queue: string): number {
  const vhost = decodeURIComponent(new URL(vhostUrl).pathname.slice(1));
  const lines = execFileSync(RABBITMQCTL, ['-q', 'list_queues', '-p', vhost, 'name', 'messages'], { encoding: 'utf8' }).split('\n');
  const line = lines.map((text) => text.trim().split(/\s+/)).find(([name]) => name === queue);
  return line ? Number(line[1]) : 0;
}
