import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The renderer is built into dist/renderer and served by the workstation server under a strict CSP
 * (script-src 'self', style-src 'self'): no inline scripts or styles may end up in index.html, and the
 * module-preload polyfill (an inline script) is turned off.
 *
 * Development: `TESSERA_API=http://127.0.0.1:<port> npx vite` proxies /api and /launch to a running
 * workstation server. Open `/launch?token=…` on the Vite origin so the launch cookie lands there.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: `${repoRoot}dist/renderer`,
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    // Keep every asset a file: a data: URL for a script or font would break the CSP.
    assetsInlineLimit: 0,
  },
  server: {
    host: '127.0.0.1',
    strictPort: false,
    proxy: process.env.TESSERA_API
      ? {
          '/api': { target: process.env.TESSERA_API, changeOrigin: true, configure: rewriteOrigin },
          '/launch': { target: process.env.TESSERA_API, changeOrigin: true, configure: rewriteOrigin },
        }
      : undefined,
  },
});

/** The workstation server checks Origin on writes; present the proxied request as its own origin. */
function rewriteOrigin(proxy: {
  on(
    event: 'proxyReq',
    fn: (req: { setHeader(n: string, v: string): void; getHeader(n: string): unknown }) => void,
  ): void;
}) {
  proxy.on('proxyReq', (req) => {
    if (req.getHeader('origin') && process.env.TESSERA_API) req.setHeader('origin', process.env.TESSERA_API);
  });
}
