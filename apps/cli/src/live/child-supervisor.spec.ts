import { EventEmitter } from 'node:events';
import { ChildSupervisor, type ChildProcessLike } from './child-supervisor';

/** A child the test ends: records the signals it is sent, and exits when the test says. */
class FakeChild extends EventEmitter implements ChildProcessLike {
  readonly signals: NodeJS.Signals[] = [];

  /** None when the process never started. */
  pid: number | undefined = 1000;

  constructor(readonly env: NodeJS.ProcessEnv) {
    super();
  }

  kill(signal: NodeJS.Signals): boolean {
    this.signals.push(signal);
    return true;
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    this.emit('exit', code, signal);
  }
}

function supervise(graceMs = 10_000) {
  const children: FakeChild[] = [];
  const supervisor = new ChildSupervisor(
    'server',
    (env) => {
      const child = new FakeChild(env);
      children.push(child);
      return child;
    },
    { V: '1' },
    graceMs,
  );
  return { supervisor, children };
}

/** Whether a promise has settled, once every pending callback has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await jest.advanceTimersByTimeAsync(0);
  return done;
}

describe('ChildSupervisor', () => {
  // The grace period on fake timers; node's spawn errors still come on the next tick.
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it("ends with the child's exit code, or 128 + the signal that killed it", async () => {
    const first = supervise();
    first.children[0].exit(7);
    await expect(first.supervisor.ended).resolves.toEqual({ exitCode: 7 });
    const second = supervise();
    second.children[0].exit(null, 'SIGTERM');
    await expect(second.supervisor.ended).resolves.toEqual({ exitCode: 143 });
  });

  it('passes signals on to the child; kv ends when the child does', async () => {
    const { supervisor, children } = supervise();
    supervisor.signal('SIGHUP');
    supervisor.signal('SIGINT');
    expect(children[0].signals).toEqual(['SIGHUP', 'SIGINT']);
    expect(await settled(supervisor.ended)).toBe(false);
    children[0].exit(null, 'SIGINT');
    await expect(supervisor.ended).resolves.toEqual({ exitCode: 130 });
  });

  it('a restart sends SIGTERM and starts the command again with the new environment once the old one exited', async () => {
    const { supervisor, children } = supervise();
    const restarted = supervisor.restart({ V: '2' });
    expect(children[0].signals).toEqual(['SIGTERM']);
    expect(children).toHaveLength(1);
    children[0].exit(null, 'SIGTERM');
    await expect(restarted).resolves.toBe(true);
    expect(children.map((child) => child.env)).toEqual([{ V: '1' }, { V: '2' }]);
    // The old child's end was the restart's, not the command's.
    expect(await settled(supervisor.ended)).toBe(false);
    children[1].exit(0);
    await expect(supervisor.ended).resolves.toEqual({ exitCode: 0 });
  });

  it('a child that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const { supervisor, children } = supervise(3_000);
    const restarted = supervisor.restart({ V: '2' });
    await jest.advanceTimersByTimeAsync(2_999);
    expect(children[0].signals).toEqual(['SIGTERM']);
    await jest.advanceTimersByTimeAsync(1);
    expect(children[0].signals).toEqual(['SIGTERM', 'SIGKILL']);
    children[0].exit(null, 'SIGKILL');
    await expect(restarted).resolves.toBe(true);
    expect(children).toHaveLength(2);
  });

  it('no restart once the child has ended by itself: kv ends with its code', async () => {
    const { supervisor, children } = supervise();
    children[0].exit(3);
    await expect(supervisor.restart({ V: '2' })).resolves.toBe(false);
    expect(children).toHaveLength(1);
    expect(children[0].signals).toEqual([]);
    await expect(supervisor.ended).resolves.toEqual({ exitCode: 3 });
  });

  it('a signal while a restart stops the child ends the command: nothing is started again', async () => {
    const { supervisor, children } = supervise();
    const restarted = supervisor.restart({ V: '2' });
    supervisor.signal('SIGINT');
    expect(children[0].signals).toEqual(['SIGTERM', 'SIGINT']);
    children[0].exit(null, 'SIGTERM');
    await expect(restarted).resolves.toBe(false);
    expect(children).toHaveLength(1);
    await expect(supervisor.ended).resolves.toEqual({ exitCode: 143 });
  });

  it('a signal the child has from the terminal is not sent again, yet still ends a restart; one that ends nothing does not', async () => {
    const { supervisor, children } = supervise();
    const restarted = supervisor.restart({ V: '2' });
    supervisor.signal('SIGWINCH', { send: true, ends: false });
    expect(children[0].signals).toEqual(['SIGTERM', 'SIGWINCH']);
    supervisor.signal('SIGINT', { send: false, ends: true });
    expect(children[0].signals).toEqual(['SIGTERM', 'SIGWINCH']);
    children[0].exit(null, 'SIGINT');
    await expect(restarted).resolves.toBe(false);
    expect(children).toHaveLength(1);
    await expect(supervisor.ended).resolves.toEqual({ exitCode: 130 });
  });

  it('a signal that ends nothing, during a restart, lets the new command start', async () => {
    const { supervisor, children } = supervise();
    const restarted = supervisor.restart({ V: '2' });
    supervisor.signal('SIGUSR1', { send: true, ends: false });
    children[0].exit(null, 'SIGTERM');
    await expect(restarted).resolves.toBe(true);
    expect(children).toHaveLength(2);
  });

  it('a command that is not found ends with 127, one that cannot be run with 126', async () => {
    const notFound = new ChildSupervisor('nope', () => failingChild('ENOENT'), {}, 1000);
    await expect(notFound.ended).resolves.toEqual({ exitCode: 127, failure: 'command not found: nope' });
    const notRunnable = new ChildSupervisor('/etc', () => failingChild('EACCES'), {}, 1000);
    await expect(notRunnable.ended).resolves.toEqual({ exitCode: 126, failure: 'cannot run /etc (EACCES)' });
    const refused = new ChildSupervisor(
      'x',
      () => {
        throw Object.assign(new TypeError("The property 'options.env' ... Received 'a-secret'"), { code: 'ERR_INVALID_ARG_VALUE' });
      },
      {},
      1000,
    );
    // Only the code: node's message may quote the environment.
    await expect(refused.ended).resolves.toEqual({ exitCode: 126, failure: 'cannot run x (ERR_INVALID_ARG_VALUE)' });
  });

  it('a restart whose new command is gone ends with 127', async () => {
    const first = new FakeChild({});
    let starts = 0;
    const supervisor = new ChildSupervisor('server', () => (++starts === 1 ? first : failingChild('ENOENT')), {}, 1000);
    const restarted = supervisor.restart({});
    first.exit(0);
    await expect(restarted).resolves.toBe(true);
    await expect(supervisor.ended).resolves.toEqual({ exitCode: 127, failure: 'command not found: server' });
  });
});

/** As node's spawn does it: no pid, and an `error` event on the next tick. */
function failingChild(code: string): FakeChild {
  const child = new FakeChild({});
  child.pid = undefined;
  process.nextTick(() => child.emit('error', Object.assign(new Error(`spawn ${code}`), { code })));
  return child;
}
