import { ErrorCode } from '@app/contracts';
import { WatchRegistry } from './watch-registry';

const refusal = expect.objectContaining({ code: ErrorCode.WATCH_LIMIT_REACHED });

describe('WatchRegistry', () => {
  it("refuses a principal's watch past its limit, and counts it again once one ends", () => {
    const registry = new WatchRegistry({ perPrincipal: 2, perGateway: 10 });
    const first = registry.acquire('alice');
    registry.acquire('alice');
    expect(() => registry.acquire('alice')).toThrow(refusal);
    expect(() => registry.acquire('bob')).not.toThrow();
    first();
    first();
    expect(registry.size).toBe(2);
    expect(() => registry.acquire('alice')).not.toThrow();
  });

  it("refuses any watch past the gateway's limit", () => {
    const registry = new WatchRegistry({ perPrincipal: 5, perGateway: 2 });
    registry.acquire('alice');
    const second = registry.acquire('bob');
    expect(() => registry.acquire('carol')).toThrow(refusal);
    second();
    expect(() => registry.acquire('carol')).not.toThrow();
  });

  it('shuts every tracked watch down, and no longer one that was untracked', () => {
    const registry = new WatchRegistry({ perPrincipal: 5, perGateway: 5 });
    const ended: string[] = [];
    const b = { shutDown: () => ended.push('b') };
    registry.track({ shutDown: () => ended.push('a') });
    registry.track(b);
    registry.untrack(b);
    registry.shutDownAll();
    expect(ended).toEqual(['a']);
    expect(() => registry.acquire('alice')).toThrow(expect.objectContaining({ code: ErrorCode.SERVICE_UNAVAILABLE }));
  });
});
