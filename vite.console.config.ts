import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The central console for administrators and IT (renderer/console/): its own entry, built into dist/console/
 * and served by central under /console/ with a strict CSP (no inline scripts or styles, so no module-preload
 * polyfill and no inlined assets). It shares renderer/ui and the contracts with the workstation app.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer/console', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: `${repoRoot}dist/console`,
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
