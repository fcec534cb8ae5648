import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import boundaries of docs/architecture.md, proved against the repository's own eslint.config.js:
 * each deliberately violating import must be an error, and each allowed one must pass. The files do not
 * exist; ESLint applies the configuration for the path it is given.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages
    .filter((m) => m.ruleId === 'tessera/import-layers' || m.ruleId === 'no-restricted-imports')
    .map((m) => `${m.ruleId}: ${m.message}`);
}

const use = (spec: string) => `import * as m from '${spec}';\nexport const x = m;\n`;

const violations: [direction: string, file: string, code: string][] = [
  ['renderer -> server/workstation', 'renderer/features/patients/Bad.tsx', use('../../../server/workstation/start')],
  ['renderer -> server/domain', 'renderer/features/patients/Bad.tsx', use('../../../server/domain/admin/permission-matrix')],
  ['renderer -> server/central', 'renderer/features/patients/Bad.tsx', use('../../../server/central/start')],
  ['renderer -> server/platform', 'renderer/ui/Bad.tsx', use('../../server/platform/errors')],
  ['renderer -> main', 'renderer/app/Bad.tsx', use('../../main/app')],
  ['renderer -> preload', 'renderer/app/Bad.tsx', use('../../preload/channels')],
  ['renderer -> node:fs', 'renderer/app/Bad.tsx', use('node:fs')],
  ['renderer -> electron', 'renderer/app/Bad.tsx', use('electron')],
  ['renderer re-export of server/workstation', 'renderer/api/bad.ts', "export * from '../../server/workstation/start';\n"],
  ['renderer dynamic import of server/domain', 'renderer/api/bad.ts', "export const m = () => import('../../server/domain/audit/hash-chain');\n"],
  ['renderer type import of server/workstation', 'renderer/api/bad.ts', "import type { Store } from '../../server/workstation/db/store';\nexport type S = Store;\n"],
  ['main -> server/workstation', 'main/bad.ts', use('../server/workstation/start')],
  ['main -> server/platform', 'main/bad.ts', use('../server/platform/private-files')],
  ['main -> server/domain', 'main/bad.ts', use('../server/domain/admin/permission-matrix')],
  ['main -> renderer', 'main/bad.ts', use('../renderer/app/App')],
  ['preload -> server/workstation', 'preload/bad.ts', use('../server/workstation/start')],
  ['preload -> server/domain', 'preload/bad.ts', use('../server/domain/admin/permission-matrix')],
  ['preload -> main', 'preload/bad.ts', use('../main/app')],
  ['workstation -> central', 'server/workstation/http/bad.ts', use('../../central/start')],
  ['workstation -> central (long way round)', 'server/workstation/http/bad.ts', use('../../../server/central/start')],
  ['workstation -> renderer', 'server/workstation/bad.ts', use('../../renderer/api/client')],
  ['workstation -> electron', 'server/workstation/bad.ts', use('electron')],
  ['central -> workstation', 'server/central/services/bad.ts', use('../../workstation/db/store')],
  ['central -> electron', 'server/central/bad.ts', use('electron')],
  ['domain -> workstation', 'server/domain/scheduling/bad.ts', use('../../workstation/db/store')],
  ['domain -> central', 'server/domain/sync/bad.ts', use('../../central/db/pool')],
  ['domain -> platform', 'server/domain/sync/bad.ts', use('../../platform/logging')],
  ['domain -> drizzle-orm', 'server/domain/sync/bad.ts', use('drizzle-orm')],
  ['domain -> node:fs', 'server/domain/sync/bad.ts', use('node:fs')],
  ['contracts -> domain', 'server/contracts/patients/bad.ts', use('../../domain/admin/permission-matrix')],
  ['contracts -> workstation', 'server/contracts/bad.ts', use('../workstation/start')],
  ['contracts -> platform', 'server/contracts/bad.ts', use('../platform/errors')],
  ['contracts -> express', 'server/contracts/bad.ts', use('express')],
  ['platform -> workstation', 'server/platform/bad.ts', use('../workstation/db/store')],
  ['platform -> central', 'server/platform/bad.ts', use('../central/db/pool')],
  ['server -> tests', 'server/workstation/bad.ts', use('../../tests/support/workstation')],
  ['require() of server/workstation from the renderer', 'renderer/app/bad.ts', "export const m = require('../../server/workstation/start');\n"],
];

const allowed: [direction: string, file: string, code: string][] = [
  ['renderer -> server/contracts', 'renderer/api/ok.ts', use('../../server/contracts/api')],
  ['renderer -> renderer', 'renderer/features/patients/Ok.tsx', use('../../ui/Button')],
  ['main -> server/contracts and electron', 'main/ok.ts', `${use('../server/contracts/desktop/index')}import { app } from 'electron';\nexport const a = app;\n`],
  ['main -> preload/channels', 'main/ok.ts', use('../preload/channels')],
  ['preload -> electron and server/contracts', 'preload/ok.ts', `${use('../server/contracts/desktop/index')}import { contextBridge } from 'electron';\nexport const c = contextBridge;\n`],
  ['workstation -> platform, domain, contracts (incl. contracts/central)', 'server/workstation/sync/ok.ts', [
    "import * as a from '../../platform/errors';",
    "import * as b from '../../domain/sync/policies';",
    "import * as c from '../../contracts/central/endpoints';",
    "import * as d from '../db/store';",
    'export const x = [a, b, c, d];',
  ].join('\n')],
  ['central -> platform, domain, contracts', 'server/central/http/ok.ts', [
    "import * as a from '../../platform/logging';",
    "import * as b from '../../domain/sync/policies';",
    "import * as c from '../../contracts/sync';",
    'export const x = [a, b, c];',
  ].join('\n')],
  ['platform -> contracts', 'server/platform/ok.ts', use('../contracts/common')],
  ['domain -> contracts and node:crypto', 'server/domain/audit/ok.ts', `${use('../../contracts/audit')}import { createHash } from 'node:crypto';\nexport const h = createHash;\n`],
  ['tests -> anything', 'tests/unit/ok.test.ts', [
    "import * as a from '../../server/workstation/start';",
    "import * as b from 'electron';",
    'export const x = [a, b];',
  ].join('\n')],
];

describe('import boundaries (eslint.config.js)', () => {
  it.each(violations)('refuses %s', async (_direction, file, code) => {
    expect(await boundaryErrors(file, code)).not.toEqual([]);
  });

  it.each(allowed)('allows %s', async (_direction, file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });

  it('says which folder was reached and what is allowed instead', async () => {
    const [message] = await boundaryErrors('renderer/app/Bad.tsx', use('../../server/workstation/start'));
    expect(message).toBe(
      'tessera/import-layers: renderer/ may import only renderer/, server/contracts/; this import reaches server/workstation/.',
    );
  });
});
