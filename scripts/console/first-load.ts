/** What the console's index.html loads before the first screen: its module scripts, preloads and stylesheets. */
export function firstLoadAssets(indexHtml: string, base: string): string[] {
  const assets = new Set<string>();
  for (const [tag] of indexHtml.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const isScript = /^<script/i.test(tag);
    const rel = /\brel="([^"]*)"/i.exec(tag)?.[1];
    if (!isScript && rel !== 'stylesheet' && rel !== 'modulepreload') continue;
    const url = /\b(?:src|href)="([^"]+)"/i.exec(tag)?.[1];
    if (url === undefined) continue;
    if (!url.startsWith(base)) throw new Error(`index.html loads ${url}, outside the console's base ${base}`);
    assets.add(url.slice(base.length));
  }
  return [...assets];
}

/** Bytes as kB (1000 bytes), one decimal. */
export function kilobytes(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}
