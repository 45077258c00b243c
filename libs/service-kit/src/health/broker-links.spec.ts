import { linksDown } from './broker-links';

describe('linksDown', () => {
  it('names the links that are down, in order, and none when all are up', () => {
    const link = (linkName: string, connected: boolean) => ({ linkName, connected });
    expect(linksDown([link('kv-entry calls', true), link('secrets calls', false), link('audit calls', false)])).toEqual([
      'secrets calls',
      'audit calls',
    ]);
    expect(linksDown([link('kv-entry calls', true)])).toEqual([]);
    expect(linksDown([])).toEqual([]);
  });
});
