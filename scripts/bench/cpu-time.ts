/**
 * CPU time spent per request, by process: how much each part of the platform costs one request,
 * a figure that stays comparable between runs even when throughput moves with the machine's load.
 * Read from /proc (utime + stime of each process), so it counts the kernel's work for a process's
 * sockets too; Postgres and RabbitMQ are summed over all their processes on the machine.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Seconds of CPU used so far, by process name, or by `group#pid` for each process of a server group. */
export type CpuSample = Record<string, number>;

/** Process names (`comm`) of the shared servers, summed as one group each. */
const SERVER_GROUPS: Record<string, string> = { postgres: 'postgres', 'beam.smp': 'rabbitmq' };

// USER_HZ, the unit of /proc/<pid>/stat times: 100 on every Linux this runs on.
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime in seconds, from the text of /proc/<pid>/stat; undefined when it cannot be read. */
export function cpuSecondsOfStat(stat: string): number | undefined {
  // The command name (field 2) is in parentheses and may contain spaces: count fields after its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / CLOCK_TICKS_PER_SECOND : undefined;
}

const commOfStat = (stat: string): string => stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));

function readStat(pid: number | string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of each named process, of each process of the server groups, and of this process (the
 * load generator runs in it). See `cpuMsPerRequest` for processes that start or end between two samples.
 */
export function sampleCpu(processes: ReadonlyMap<string, number>): CpuSample {
  const sample: CpuSample = {};
  for (const [name, pid] of processes) {
    const stat = readStat(pid);
    const seconds = stat === undefined ? undefined : cpuSecondsOfStat(stat);
    if (seconds !== undefined) sample[name] = seconds;
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    const group = stat === undefined ? undefined : SERVER_GROUPS[commOfStat(stat)];
    const seconds = group === undefined || stat === undefined ? undefined : cpuSecondsOfStat(stat);
    if (group !== undefined && seconds !== undefined) sample[`${group}#${entry}`] = seconds;
  }
  const own = process.cpuUsage();
  sample['load generator'] = (own.user + own.system) / 1e6;
  return sample;
}

/**
 * Milliseconds of CPU per request for each group present in both samples, plus their total. Only processes
 * alive at both samples count: a Postgres backend of another client, an autovacuum worker or a server
 * starting up cannot skew the sums; the platform's pooled connections live through a measurement, as
 * each one follows a warm-up (a pool closes connections idle for 10 s).
 */
export function cpuMsPerRequest(before: CpuSample, after: CpuSample, requests: number): Record<string, number> {
  if (requests <= 0) return {};
  const perRequest: Record<string, number> = {};
  let total = 0;
  for (const [name, end] of Object.entries(after)) {
    const start = before[name];
    if (start === undefined) continue;
    const group = name.split('#')[0]!;
    const ms = ((end - start) * 1000) / requests;
    perRequest[group] = (perRequest[group] ?? 0) + ms;
    total += ms;
  }
  perRequest.total = total;
  return perRequest;
}
