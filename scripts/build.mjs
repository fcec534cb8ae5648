// Build everything the desktop app and headless mode serve: the renderer (Vite), the patient's telehealth
// join page and the patient portal (Vite, dist/telehealth/ and dist/portal/, served by central) and the bundles for Electron main, preload and the
// workstation server's utilityProcess entry (esbuild), plus the command lines that run without the desktop
// shell: the workstation's `tessera` and central's `tessera-central`.
// The central console (Vite, dist/console/) is served by central too.
// `node scripts/build.mjs [renderer|telehealth|console|portal|node|cli]` builds one part;
// `node scripts/build.mjs cli --out DIR` writes the command lines to DIR instead of dist/cli (the
// production-bundle test builds its own copy, so it never rewrites the bundles other tests are running).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const { version } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const only = process.argv[2];
const outFlag = process.argv.indexOf('--out');
const cliOut = outFlag > 0 ? path.resolve(process.argv[outFlag + 1]) : 'dist/cli';

const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin/vite.js');
if (!only || only === 'renderer') {
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
// The patient's telehealth join page (served by central from dist/telehealth/).
if (!only || only === 'renderer' || only === 'telehealth') {
  execFileSync(
    process.execPath,
    [vite, 'build', '--config', 'vite.telehealth.config.ts', '--logLevel', 'warn'],
    {
      stdio: 'inherit',
    },
  );
}

// The central console for administrators (served by central from dist/console/).
if (!only || only === 'renderer' || only === 'console') {
  execFileSync(
    process.execPath,
    [vite, 'build', '--config', 'vite.console.config.ts', '--logLevel', 'warn'],
    {
      stdio: 'inherit',
    },
  );
}

// The patient portal (served by central from dist/portal/ under /portal).
if (!only || only === 'renderer' || only === 'portal') {
  execFileSync(process.execPath, [vite, 'build', '--config', 'vite.portal.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
}

if (!only || only === 'node') {
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    define: { __TESSERA_VERSION__: JSON.stringify(version) },
  };
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: ['main/main.ts'],
      outfile: 'dist/main/main.cjs',
      external: ['electron', 'electron-updater'],
    }),
    // A sandboxed preload must be one self-contained file.
    esbuild.build({
      ...common,
      entryPoints: ['preload/preload.ts'],
      outfile: 'dist/preload/preload.cjs',
      external: ['electron'],
    }),
    // Native modules stay external: electron-builder rebuilds them for Electron's ABI. pdfkit stays external
    // too: it loads its standard fonts at run time through its package.json "imports" and reads import.meta,
    // neither of which survives bundling into one CommonJS file (it is a dependency, so it is packaged).
    esbuild.build({
      ...common,
      entryPoints: ['server/workstation/utility-entry.ts'],
      outfile: 'dist/server/utility.cjs',
      external: ['better-sqlite3', 'argon2', 'pdfkit'],
    }),
    // The thread that stores a first download's pages (server/workstation/sync/store-worker-client.ts
    // looks for it next to the bundle that starts it).
    esbuild.build({
      ...common,
      entryPoints: ['server/workstation/sync/store-worker.ts'],
      outfile: 'dist/server/sync-store-worker.cjs',
      external: ['better-sqlite3'],
    }),
  ]);
}

if (!only || only === 'cli') {
  // The command lines run on plain Node from the production dependencies alone (`npm ci --omit=dev`): every
  // package stays external and is resolved from node_modules at run time, so a dev dependency reached at run
  // time fails the production-bundle test instead of being bundled silently. ESM output keeps import.meta
  // (paths next to the bundle) working; the banner gives bundled CommonJS code its `require`.
  const cli = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    define: { __TESSERA_VERSION__: JSON.stringify(version) },
    banner: {
      js: "import { createRequire as __tesseraRequire } from 'node:module'; const require = __tesseraRequire(import.meta.url);",
    },
  };
  await Promise.all([
    esbuild.build({ ...cli, entryPoints: ['server/workstation/cli.ts'], outfile: path.join(cliOut, 'tessera.mjs') }),
    esbuild.build({
      ...cli,
      entryPoints: ['server/workstation/sync/store-worker.ts'],
      outfile: path.join(cliOut, 'sync-store-worker.mjs'),
    }),
    esbuild.build({
      ...cli,
      entryPoints: ['server/central/cli.ts'],
      outfile: path.join(cliOut, 'tessera-central.mjs'),
    }),
  ]);
}
