import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The patient's telehealth join page: its own small entry (renderer/telehealth/), built into
 * dist/telehealth/ and served by central under /telehealth/ with a strict CSP (no inline scripts or
 * styles, so no module-preload polyfill and no inlined assets). It shares renderer/ui and the telehealth
 * components with the workstation app; Twilio's SDK is a separate chunk loaded only for Twilio visits.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer/telehealth', import.meta.url)),
  base: '/telehealth/',
  plugins: [react()],
  build: {
    outDir: `${repoRoot}dist/telehealth`,
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
