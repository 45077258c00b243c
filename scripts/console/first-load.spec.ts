import { firstLoadAssets, kilobytes } from './first-load';

const BASE = '/api/v1/kv/ui/';

describe('firstLoadAssets', () => {
  it("names the scripts, module preloads and stylesheets index.html loads, relative to the console's base", () => {
    const html = `<head>
      <script type="module" crossorigin src="/api/v1/kv/ui/assets/index-a1.js"></script>
      <link rel="modulepreload" crossorigin href="/api/v1/kv/ui/assets/vendor-b2.js">
      <link rel="stylesheet" crossorigin href="/api/v1/kv/ui/assets/index-c3.css">
      <link rel="icon" href="/api/v1/kv/ui/favicon.svg">
    </head>`;
    expect(firstLoadAssets(html, BASE)).toEqual(['assets/index-a1.js', 'assets/vendor-b2.js', 'assets/index-c3.css']);
  });

  it('refuses an asset outside the base, which the gateway would not serve from the console', () => {
    expect(() => firstLoadAssets('<script type="module" src="/elsewhere/app.js"></script>', BASE)).toThrow(/outside the console's base/);
  });
});

describe('kilobytes', () => {
  it('counts 1000 bytes a kB', () => expect(kilobytes(300_000)).toBe('300.0 kB'));
});
