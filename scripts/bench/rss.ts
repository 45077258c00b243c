import { readFileSync } from 'node:fs';

/**
 * Peak resident set size of a live process, in bytes: the kernel's high-water mark (VmHWM), so no
 * sampling can miss a short peak. Undefined when the process is gone or not readable.
 */
export function peakRssBytes(pid: number): number | undefined {
  try {
    return parseVmHwm(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

export function parseVmHwm(status: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}
