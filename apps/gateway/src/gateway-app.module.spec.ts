import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

// In a child process: Jest's module registry is not Node's, and only a fresh process shows what loading costs.
function packagesLoadedBy(script: string): string[] {
  const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      KV_JWT_SECRET: 'gateway-module-spec-gateway-module-spec',
      KV_LOG_LEVEL: 'silent',
      TS_NODE_PROJECT: join(root, 'tsconfig.json'),
    },
  });
  return JSON.parse(output) as string[];
}

const LOADED_DATABASE_PACKAGES = `
  const loaded = Object.keys(require.cache).map((path) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(path)?.[1]);
  process.stdout.write(JSON.stringify([...new Set(loaded)].filter((name) => ['typeorm', '@nestjs/typeorm', 'pg'].includes(name))));
`;

describe('the gateway module', () => {
  it('loads no database library: the gateway has no database', () => {
    expect(
      packagesLoadedBy(`require('reflect-metadata'); require('./apps/gateway/src/gateway-app.module'); ${LOADED_DATABASE_PACKAGES}`),
    ).toEqual([]);
  }, 60_000);

  it('is told apart from a service, which does load them (the check can fail)', () => {
    expect(
      packagesLoadedBy(`require('reflect-metadata'); require('./apps/kv-entry/src/kv-entry-app.module'); ${LOADED_DATABASE_PACKAGES}`),
    ).toEqual(expect.arrayContaining(['typeorm', '@nestjs/typeorm']));
  }, 60_000);
});
