import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../platform/repo-root';
import { CLIENT_TYPES_FILE } from './client-types-file';

describe('client types (libs/client/src/generated/openapi.ts)', () => {
  // In a child process: openapi-typescript loads ES modules, which Jest's CommonJS runtime cannot.
  it("match the gateway's OpenAPI document: run `npm run generate:client-types` after changing the API", () => {
    const root = repoRoot();
    const regenerated = execFileSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        join(root, 'scripts', 'generate-client-types.ts'),
        '--stdout',
      ],
      { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    expect(readFileSync(CLIENT_TYPES_FILE, 'utf8')).toBe(regenerated);
  }, 60000);
});
