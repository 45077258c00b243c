import { consoleAnswerFor } from './console-route';

const FILES = new Set(['index.html', 'assets/index-abc123.js', 'assets/index-def456.css', 'favicon.svg']);
const INDEX = { kind: 'file', file: 'index.html', cacheControl: 'no-cache' };

describe('consoleAnswerFor', () => {
  it('serves a hashed asset immutable and any other file of the build revalidated', () => {
    expect(consoleAnswerFor('assets/index-abc123.js', FILES)).toEqual({
      kind: 'file',
      file: 'assets/index-abc123.js',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    expect(consoleAnswerFor('favicon.svg', FILES)).toEqual({ kind: 'file', file: 'favicon.svg', cacheControl: 'no-cache' });
  });

  it("answers index.html for the page itself and the console's own routes", () => {
    for (const path of ['', 'index.html', 'namespaces', 'namespaces/3f0c9a4e', 'audit/'])
      expect(consoleAnswerFor(path, FILES)).toEqual(INDEX);
  });

  it('answers index.html for a route whose last segment has a dot (an entry key such as tls/cert.pem)', () => {
    for (const path of ['namespaces/3f0c9a4e/entry/tls/cert.pem', 'namespaces/3f0c9a4e/entry/app.json', 'robots.txt'])
      expect(consoleAnswerFor(path, FILES)).toEqual(INDEX);
  });

  it('answers missing for anything under assets/ that is not in the build', () => {
    for (const path of ['assets/index-gone.js', 'assets/', 'assets/x', 'assets/logo.png'])
      expect(consoleAnswerFor(path, FILES)).toEqual({ kind: 'missing' });
  });

  it('never names a file outside the list, whatever the path', () => {
    for (const path of ['../package.json', 'assets/../../package.json', '/etc/passwd', '..\\..\\package.json']) {
      const answer = consoleAnswerFor(path, FILES);
      expect(answer.kind === 'missing' || answer.file === 'index.html').toBe(true);
    }
  });
});
