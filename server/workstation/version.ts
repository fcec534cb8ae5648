import { createRequire } from 'node:module';

/** The app version from package.json (bundled builds get it injected at build time). */
declare const __TESSERA_VERSION__: string | undefined;
export const appVersion: string =
  typeof __TESSERA_VERSION__ === 'string'
    ? __TESSERA_VERSION__
    : (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
