import { CpuProfile, packageOf, topFunctions, topPackages } from './cpu-profile';

const node = (id: number, functionName: string, url: string, hitCount: number) => ({
  id,
  callFrame: { functionName, url, lineNumber: 9 },
  hitCount,
});

describe('cpu profile summary', () => {
  const profile: CpuProfile = {
    startTime: 0,
    endTime: 1,
    nodes: [
      node(1, '(idle)', '', 50),
      node(2, 'serialize', 'file:///repo/node_modules/@nestjs/core/router.js', 20),
      node(3, 'serialize', 'file:///repo/node_modules/@nestjs/core/router.js', 10),
      node(4, 'verify', 'file:///repo/node_modules/jose/dist/jwt.js', 15),
      node(5, 'handle', 'file:///repo/dist/apps/gateway/src/main.js', 5),
    ],
  };

  it('names packages, scoped or not, Node internals and the app', () => {
    expect(packageOf('file:///r/node_modules/@nestjs/core/x.js')).toBe('@nestjs/core');
    expect(packageOf('file:///r/node_modules/a/node_modules/pino/x.js')).toBe('pino');
    expect(packageOf('node:internal/streams')).toBe('node:internal');
    expect(packageOf('file:///r/dist/apps/x.js')).toBe('app');
    expect(packageOf('')).toBe('(v8)');
  });

  it('adds up the self time of one function over its call sites, largest first', () => {
    expect(topFunctions(profile, 2)).toEqual([
      { name: '(idle)', samples: 50, share: 0.5 },
      { name: 'serialize @nestjs/core/router.js:10', samples: 30, share: 0.3 },
    ]);
  });

  it('groups self time by package', () => {
    expect(topPackages(profile).map((row) => [row.name, row.samples])).toEqual([
      ['(idle)', 50],
      ['@nestjs/core', 30],
      ['jose', 15],
      ['app', 5],
    ]);
  });
});
