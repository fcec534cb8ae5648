import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, type Access } from '../../../server/contracts/api';
import { centralApi } from '../../../server/contracts/central/endpoints';
import { rolesWith } from '../../../server/domain/admin/permission-matrix';

/**
 * Who may call what, pinned. route-permissions.test.ts proves the server enforces whatever the catalogue
 * and the role matrix say; it cannot notice when the catalogue itself gives an endpoint a weaker permission
 * or a role gains one. permissions.golden.md is that list written out for a reviewer; this test fails on
 * any difference, so a change of access shows up as a diff of the golden file in review.
 */

const golden = path.join(import.meta.dirname, 'permissions.golden.md');
const REGENERATE =
  'If the change is deliberate, regenerate the file with\n' +
  '  UPDATE_PERMISSIONS_GOLDEN=1 npx vitest run tests/integration/http/permissions-golden.test.ts\n' +
  'and let the reviewer read its diff.';

const who = (access: Access): string => {
  switch (access) {
    case 'public':
      return 'anyone who reaches loopback';
    case 'launch':
      return 'holder of the launch cookie';
    case 'session':
      return 'any signed-in staff member';
    default:
      return rolesWith(access).join(', ') || '**nobody**';
  }
};

const byRoute = <E extends { method: string; path: string }>(a: E, b: E) =>
  a.path.localeCompare(b.path) || a.method.localeCompare(b.method);

function render(): string {
  const lines = [
    '# Who may call what',
    '',
    'Generated from the endpoint catalogues (`server/contracts/api.ts`, `server/contracts/central/endpoints.ts`)',
    'and the role matrix (`server/domain/admin/permission-matrix.ts`); pinned by',
    '`tests/integration/http/permissions-golden.test.ts`. A change here is a change of who may do what: review it.',
    '',
    '## Workstation API',
    '',
    '| endpoint | requires | roles that have it |',
    '| --- | --- | --- |',
    ...Object.values(api)
      .sort(byRoute)
      .map((e) => `| \`${e.method} ${e.path}\` | ${e.access} | ${who(e.access)} |`),
    '',
    '## Central API',
    '',
    '| endpoint | requires |',
    '| --- | --- |',
    ...Object.values(centralApi)
      .sort(byRoute)
      .map((e) => `| \`${e.method} ${e.path}\` | ${e.access} |`),
    '',
  ];
  return lines.join('\n');
}

describe('endpoint-to-permission table (permissions.golden.md)', () => {
  it('matches the catalogues and the role matrix exactly', () => {
    const now = render();
    if (process.env.UPDATE_PERMISSIONS_GOLDEN === '1') fs.writeFileSync(golden, now);
    const pinned = fs.existsSync(golden) ? fs.readFileSync(golden, 'utf8') : '';
    const was = new Set(pinned.split('\n'));
    const is = new Set(now.split('\n'));
    const changes = [
      ...[...is].filter((l) => !was.has(l)).map((l) => `+ ${l}`),
      ...[...was].filter((l) => !is.has(l)).map((l) => `- ${l}`),
    ];
    expect(changes, `Who may call what changed:\n${changes.join('\n')}\n${REGENERATE}`).toEqual([]);
    expect(now, REGENERATE).toBe(pinned);
  });
});
