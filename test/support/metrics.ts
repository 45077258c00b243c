// A sample line of the text format: a metric name (letters, digits, `_` and `:`), its labels if any, its value.
const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)/;

/**
 * The value of the sample `name{labels…}` (or a bare `name`) in a Prometheus scrape, whatever order its
 * labels come in; undefined if absent.
 */
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = SAMPLE_LINE.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** `sample` of a fresh scrape of `metricsUrl`. */
export async function scrapedSample(metricsUrl: string, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  return sample(await (await fetch(metricsUrl)).text(), name, labels);
}
