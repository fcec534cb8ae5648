import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The patient portal: its own entry (renderer/portal/), built into dist/portal/ and served by central under
 * /portal/ with a strict CSP (no inline scripts or styles, so no module-preload polyfill and no inlined
 * assets). It shares renderer/ui with the workstation app. renderer/portal/public holds the PWA manifest,
 * the icon and the service worker (copied as they are, so sw.js keeps its name and its /portal/ scope).
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer/portal', import.meta.url)),
  base: '/portal/',
  plugins: [react()],
  build: {
    outDir: `${repoRoot}dist/portal`,
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
