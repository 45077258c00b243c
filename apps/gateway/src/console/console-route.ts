/** Where the gateway serves the web console (apps/console, whose Vite `base` is the same). */
export const CONSOLE_PATH = '/api/v1/kv/ui';

/**
 * Scripts, styles and calls from the console's own origin only, no inline script or <style> element (inline style
 * attributes set through the DOM are allowed by CSP), and no framing.
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; '),
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** Vite writes every file it names by content hash under assets/: one never changes, so it is cached for good. */
const HASHED_ASSETS = 'assets/';

export type ConsoleAnswer = { kind: 'file'; file: string; cacheControl: string } | { kind: 'missing' };

/**
 * What a path under the console (after `/api/v1/kv/ui/`) answers: a file of the build, exactly as listed (so that
 * nothing outside it can be named, `..` or not); 404 for anything else under assets/; else index.html, for the
 * console's own routes, whose keys may have a dot in their last segment (`namespaces/abc/entry/tls/cert.pem`).
 */
export function consoleAnswerFor(path: string, files: ReadonlySet<string>): ConsoleAnswer {
  // index.html names the hashed files of the current build: asked again every time, never kept stale.
  const index: ConsoleAnswer = { kind: 'file', file: 'index.html', cacheControl: 'no-cache' };
  if (path === 'index.html') return index;
  if (files.has(path))
    return { kind: 'file', file: path, cacheControl: path.startsWith(HASHED_ASSETS) ? 'public, max-age=31536000, immutable' : 'no-cache' };
  return path.startsWith(HASHED_ASSETS) ? { kind: 'missing' } : index;
}
