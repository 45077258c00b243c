/**
 * What a describe block sets up once for all its tests (a testbed, a broker connection, a namespace on
 * the platform), declared in one line instead of a `let`, a `beforeAll` and an `afterAll` each time.
 */

/** Fixtures set up and not yet torn down, oldest first. */
const live: Array<() => Promise<void>> = [];

/**
 * Runs `setup` in a beforeAll of the describe block it is called in and `teardown` in its afterAll, and
 * returns a stand-in for what setup made: bind it at describe time, use it in tests and hooks. Jest runs a
 * block's afterAll hooks in the order they were declared; fixtures come down in the reverse one, so that a
 * fixture built on another (a tap on a testbed's vhost) goes first.
 */
export function useFixture<T extends object>(
  what: string,
  setup: () => Promise<T>,
  teardown: (value: T) => Promise<unknown> = () => Promise.resolve(),
): T {
  let value: T | undefined;
  const tearDown = async () => {
    const made = value;
    value = undefined;
    if (made !== undefined) await teardown(made);
  };
  beforeAll(async () => {
    value = await setup();
    live.push(tearDown);
  });
  afterAll(async () => {
    const index = live.indexOf(tearDown);
    // Not there: its setup failed, or a fixture declared before it took it down already.
    if (index < 0) return;
    for (const later of live.splice(index).reverse()) await later();
  });
  return lateBound(() => {
    if (value === undefined) throw new Error(`${what} is there from the describe block's beforeAll to its afterAll only`);
    return value;
  });
}

/**
 * A stand-in for what `resolve` returns at each use: reading a member reads the real one, and a method runs
 * on the real object. For names bound at describe time to what exists only from beforeAll on; jest.spyOn
 * needs the real object.
 */
export function lateBound<T extends object>(resolve: () => T): T {
  return new Proxy({} as T, {
    get: (_stand, property) => {
      const target = resolve();
      const member: unknown = Reflect.get(target, property, target);
      return typeof member === 'function' ? member.bind(target) : member;
    },
    set: (_stand, property, member) => Reflect.set(resolve(), property, member),
  });
}
