// The console's build: a single page served by the gateway at /api/v1/kv/ui/ (apps/gateway/src/console), written
// into dist/console beside the compiled server. `index.html` loads hashed files only, no inline script or style.
import react from '@vitejs/plugin-react-swc';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/api/v1/kv/ui/',
  plugins: [react()],
  resolve: {
    alias: {
      '@kv-service/client': here('../../libs/client/src'),
      // The client reads .env files with dotenv's `parse`, which is pure; dotenv's module also requires these for
      // loading files, which the console never does: an empty module each, rather than Vite's warning for each.
      ...Object.fromEntries(['path', 'os', 'crypto'].map((name) => [name, here('node-builtin-stub.mjs')])),
    },
  },
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    // No data: URLs for fonts or images: every asset is a file of its own that the CSP's 'self' allows.
    assetsInlineLimit: 0,
    // One bundle for the first load; its compressed size is what counts, checked by scripts/console-size.ts.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: {
      '/api/v1/kv': {
        target: 'http://localhost:8080',
        bypass: (request) => (request.url?.startsWith('/api/v1/kv/ui') ? request.url : undefined),
      },
    },
  },
});
