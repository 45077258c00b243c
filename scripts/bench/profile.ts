/**
 * `npm run bench:profile`: a CPU profile of one platform process under one scenario, and every process's CPU per request
 * (`--process none`: that alone, for quick before/after comparisons). The profile is taken over the inspector's DevTools
 * protocol rather than `--cpu-prof`, whose file is lost when Nest re-raises SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { mintToken } from '@app/tokens';
import { TestPlatform } from '../../test/support/test-platform';
import { CpuProfile, renderSelfTimes, topFunctions, topPackages } from './cpu-profile';
import { devtools, inspectorUrl } from './devtools';
import { runLoad } from './load';
import { renderCpuCost, summaryLine } from './markdown';
import { PLATFORM_NODE_OPTIONS } from '../platform/services';
import { BENCH_ENV } from './platform';
import { gatewayScenarios, warmUpScenario } from './scenarios';
import { seed } from './seed';

interface Options {
  process: 'gateway' | 'kv-entry' | 'secrets' | 'audit' | 'none';
  scenario: string[];
  connections: number;
  duration: number;
  warmup: number;
  env: Record<string, string>;
}

const program = new Command()
  .name('npm run bench:profile --')
  .option('--process <name>', 'gateway, kv-entry, secrets or audit; none: only the CPU time per request of every process', 'gateway')
  .option('--scenario <names>', 'comma-separated scenarios of npm run bench, run one after the other', (v) => v.split(','), ['GET plain'])
  .option('--connections <n>', 'connections', (v) => Number.parseInt(v, 10), 64)
  .option('--duration <seconds>', 'seconds of load while profiling', (v) => Number.parseInt(v, 10), 10)
  .option('--warmup <seconds>', 'unmeasured seconds of each scenario first', (v) => Number.parseInt(v, 10), 3)
  .option('--env <KEY=VALUE>', 'a setting for every platform process, to try it (repeatable)', collectSetting, {});

function collectSetting(pair: string, settings: Record<string, string>): Record<string, string> {
  const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
  if (!match) throw new Error(`--env takes KEY=VALUE, not ${pair}`);
  return { ...settings, [match[1]!]: match[2]! };
}

async function main(): Promise<void> {
  const options = program.parse().opts<Options>();
  const profiled = options.process === 'none' ? undefined : options.process;
  const platform = await TestPlatform.start({ ...BENCH_ENV, ...options.env }, () =>
    profiled ? { [profiled]: { NODE_OPTIONS: `${PLATFORM_NODE_OPTIONS} --inspect=127.0.0.1:0` } } : {},
  );
  try {
    const token = await mintToken({ secret: platform.state.jwtSecret, sub: 'bench', permissions: ['*'], apps: ['*'], ttlSeconds: 3600 });
    const namespaces = await seed(platform.state.gatewayUrl, token, (line) => console.log(`[profile] ${line}`));
    const { origin, pathname } = new URL(platform.state.gatewayUrl);
    const scenarios = gatewayScenarios(pathname, namespaces, { authorization: `Bearer ${token}` });
    for (const name of options.scenario) {
      const scenario = scenarios.find((s) => s.name === name);
      if (!scenario) throw new Error(`unknown scenario ${name}; one of: ${scenarios.map((s) => s.name).join(', ')}`);
      await warmUpScenario(scenario, origin, options.connections, options.warmup);
      const inspector = profiled ? await devtools(inspectorUrl(join(platform.state.logDir, `${profiled}.log`))) : undefined;
      await inspector?.call('Profiler.enable');
      await inspector?.call('Profiler.start');
      const measured = await runLoad({
        name: scenario.name,
        origin,
        request: scenario.request(),
        connections: options.connections,
        durationSeconds: options.duration,
        processes: platform.processIds(),
      });
      console.log(`[profile] ${summaryLine(measured)}`);
      console.log(`[profile] CPU ms per request: ${renderCpuCost(measured.cpuMsPerRequest ?? {})}`);
      if (!inspector) continue;
      const { profile } = (await inspector.call('Profiler.stop')) as { profile: CpuProfile };
      inspector.close();
      const file = join(tmpdir(), `kv-bench-${profiled}-${scenario.name.replace(/\W+/g, '-')}-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`[profile] ${profiled} profile: ${file}\n`);
      console.log(renderSelfTimes('Self time by package:', topPackages(profile)));
      console.log(`\n${renderSelfTimes('Top self-time functions:', topFunctions(profile))}`);
    }
  } finally {
    await platform.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
