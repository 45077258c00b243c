import type { TestPlatform } from './test-platform';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { kvTestPlatform?: TestPlatform }).kvTestPlatform?.stop();
}
