// `npm start`: build, then run the desktop app where Electron can run, else headless mode, which prints a
// one-time launch URL to open in a browser. TESSERA_HEADLESS=1 forces headless mode.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts }).status === 0;

if (!run(process.execPath, ['scripts/build.mjs'])) process.exit(1);

/** The Electron runtime's path, as the electron package records it once downloaded; null before that. */
function electronBinary() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const binary = path.join(dir, 'dist', fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim());
    return fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
let electron = null;
if (!process.env.TESSERA_HEADLESS && hasDisplay) {
  electron = electronBinary();
  if (!electron) {
    console.log('Fetching the Electron runtime (once)…');
    run(process.execPath, [require.resolve('electron/install.js')], { env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' } });
    electron = electronBinary();
  }
}

if (electron) {
  const child = spawn(electron, ['.'], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const dataDir = process.env.TESSERA_DATA_DIR ?? path.join(os.homedir(), '.tessera');
  console.log(
    hasDisplay
      ? 'Electron is not available here: starting headless mode.'
      : 'No display: starting headless mode.',
  );
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/workstation/cli.ts', 'serve', '--data-dir', dataDir, ...process.argv.slice(2)],
    { stdio: 'inherit', cwd: root },
  );
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
