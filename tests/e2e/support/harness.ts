import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from '@playwright/test';

/**
 * Component and provider tests in a real Chromium page without a server: the harness entry
 * (tests/e2e/telehealth/harness.tsx) is bundled with esbuild (React, the renderer's styles and the
 * telehealth components) and served through page.route on a localhost origin (a secure context, so
 * getUserMedia and RTCPeerConnection behave as on the real pages).
 */
const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const HARNESS_ORIGIN = 'http://localhost:5999';
let built: Promise<string> | null = null;

function build(): Promise<string> {
  built ??= (async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-harness-'));
    await esbuild.build({
      entryPoints: [path.join(repoRoot, 'tests/e2e/telehealth/harness.tsx')],
      bundle: true,
      format: 'esm',
      outdir,
      entryNames: 'harness',
      jsx: 'automatic',
      target: 'es2022',
      sourcemap: 'inline',
      define: { 'process.env.NODE_ENV': '"development"' },
      logLevel: 'warning',
    });
    fs.writeFileSync(
      path.join(outdir, 'index.html'),
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harness</title>' +
        '<link rel="stylesheet" href="/harness.css"></head><body><div id="root"></div>' +
        '<script type="module" src="/harness.js"></script></body></html>',
    );
    return outdir;
  })();
  return built;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

export async function openHarness(page: Page): Promise<void> {
  const dir = await build();
  await page.route(`${HARNESS_ORIGIN}/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, path.basename(name));
    if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    await route.fulfill({ body: fs.readFileSync(file), contentType: TYPES[path.extname(file)] ?? 'application/octet-stream' });
  });
  await page.goto(`${HARNESS_ORIGIN}/`);
  await page.waitForFunction(() => (window as any).harness !== undefined);
}
