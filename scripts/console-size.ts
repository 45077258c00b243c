/**
 * `node dist/scripts/console-size.js` (run by scripts/build.sh after the console's build): prints the compressed
 * size of the console's first load (the JavaScript and CSS its index.html loads), gzip and brotli, and fails
 * above the budget of 300 kB compressed (gzip, the larger of the two).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { firstLoadAssets, kilobytes } from './console/first-load';

const CONSOLE_DIR = join(__dirname, '..', 'console');
const BASE = '/api/v1/kv/ui/';
const BUDGET_BYTES = 300_000;

let gzip = 0;
let brotli = 0;
for (const asset of firstLoadAssets(readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8'), BASE)) {
  const content = readFileSync(join(CONSOLE_DIR, asset));
  gzip += gzipSync(content, { level: 9 }).length;
  brotli += brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
console.log(`[build] console first load: ${kilobytes(gzip)} gzip, ${kilobytes(brotli)} brotli (budget ${kilobytes(BUDGET_BYTES)})`);
if (gzip > BUDGET_BYTES) {
  console.error(`[build] the console's first load is over its budget: ${kilobytes(gzip)} gzip > ${kilobytes(BUDGET_BYTES)}`);
  process.exitCode = 1;
}
