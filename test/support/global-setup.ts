// Global setup runs outside Jest's module mapper: resolve the @app/* aliases from tsconfig.json.
import 'tsconfig-paths/register';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { TestPlatform } from './test-platform';

/** Starts one platform for every e2e file; its coordinates reach the tests through a state file. */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const platform = await TestPlatform.start();
  const stateFile = join(tmpdir(), `${platform.state.runId}.json`);
  writeFileSync(stateFile, JSON.stringify(platform.state));
  process.env.KV_E2E_STATE = stateFile;
  (globalThis as { kvTestPlatform?: TestPlatform }).kvTestPlatform = platform;
  console.log(`\n[e2e] platform ${platform.state.runId} up in ${Date.now() - started} ms, logs in ${platform.state.logDir}`);
}
