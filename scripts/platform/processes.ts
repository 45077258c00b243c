import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repo-root';
import { PLATFORM_NODE_OPTIONS, ServiceDefinition } from './services';

export interface RunningService {
  definition: ServiceDefinition;
  port: number;
  process: ChildProcess;
}

/**
 * Starts one compiled service as a plain Node process. Its stdout and stderr lines go to `onLine`
 * (a terminal, a log file); the environment is exactly `env` (with the image's Node options unless
 * `env` has its own), so the caller's shell cannot leak in.
 */
export function startService(
  definition: ServiceDefinition,
  port: number,
  env: Record<string, string>,
  onLine: (line: string) => void,
): RunningService {
  const child = spawn(process.execPath, [join(repoRoot(), definition.entry)], {
    cwd: repoRoot(),
    env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: PLATFORM_NODE_OPTIONS, ...env, KV_HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    stream?.on('end', () => pending && onLine(pending));
  }
  child.on('exit', (code, signal) => onLine(`[platform] ${definition.name} exited (code ${code}, signal ${signal})`));
  return { definition, port, process: child };
}

/** Polls the service's readiness endpoint until it answers 200, the process dies, or time runs out. */
export async function waitUntilReady(service: RunningService, timeoutMs = 30_000): Promise<void> {
  const url = `http://127.0.0.1:${service.port}${service.definition.healthPath}/ready`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { exitCode, signalCode } = service.process;
    // A process killed by a signal has no exit code.
    if (exitCode !== null || signalCode !== null) {
      throw new Error(`${service.definition.name} exited (code ${exitCode}, signal ${signalCode}) before it was ready`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.definition.name} was not ready at ${url} within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL if the process has not exited in time. */
export async function stopService(service: RunningService, graceMs = 10_000): Promise<void> {
  const child = service.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
