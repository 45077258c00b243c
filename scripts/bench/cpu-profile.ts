/**
 * Summaries of a V8 CPU profile (the `.cpuprofile` of DevTools and `--cpu-prof`): where the samples
 * landed, by function and by package, as shares of all samples.
 */

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  share: number;
  samples: number;
}

/** The innermost `node_modules/<package>` (scoped too), `node:internal` for Node's own code, else `app` or `(v8)`. */
export function packageOf(url: string): string {
  const packages = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  if (packages.length) return packages[packages.length - 1][1];
  if (url.startsWith('node:')) return 'node:internal';
  return url ? 'app' : '(v8)';
}

function frameName(node: CpuProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

function aggregate(profile: CpuProfile, key: (node: CpuProfileNode) => string, top: number): SelfTime[] {
  const totals = new Map<string, number>();
  let all = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    all += hits;
    totals.set(key(node), (totals.get(key(node)) ?? 0) + hits);
  }
  return [...totals.entries()]
    .map(([name, samples]) => ({ name, samples, share: all ? samples / all : 0 }))
    .sort((a, b) => b.samples - a.samples)
    .slice(0, top);
}

export const topFunctions = (profile: CpuProfile, top = 25): SelfTime[] => aggregate(profile, frameName, top);

/** Self time by package; `(idle)`, `(garbage collector)` and `(program)` stay apart, they matter most. */
export const topPackages = (profile: CpuProfile, top = 15): SelfTime[] =>
  aggregate(
    profile,
    (node) => (node.callFrame.functionName.startsWith('(') ? node.callFrame.functionName : packageOf(node.callFrame.url)),
    top,
  );

export function renderSelfTimes(title: string, rows: readonly SelfTime[]): string {
  return [title, ...rows.map((row) => `  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.name}`)].join('\n');
}
