import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The systemd unit IT installs for central: valid for systemd, hardened, and running the bundled CLI. */

const root = path.resolve(import.meta.dirname, '../../..');
const unitFile = path.join(root, 'deploy/central/tessera-central.service');
const unit = fs.readFileSync(unitFile, 'utf8');
const directives = new Map<string, string[]>();
for (const line of unit.split('\n')) {
  const m = /^([A-Za-z]+)=(.*)$/.exec(line);
  if (m) directives.set(m[1]!, [...(directives.get(m[1]!) ?? []), m[2]!]);
}
const hasSystemd = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('deploy/central/tessera-central.service', () => {
  it('runs the bundled CLI as its own unprivileged user, migrating before serving', () => {
    expect(directives.get('User')).toEqual(['tessera']);
    expect(directives.get('ExecStartPre')?.[0]).toMatch(/dist\/cli\/tessera-central\.mjs migrate$/);
    expect(directives.get('ExecStart')?.[0]).toMatch(/dist\/cli\/tessera-central\.mjs serve$/);
    expect(directives.get('EnvironmentFile')).toEqual(['/etc/tessera/central.env']);
    expect(directives.get('Restart')).toEqual(['on-failure']);
  });

  it('is hardened: read-only system, no new privileges, no capabilities', () => {
    expect(directives.get('ProtectSystem')).toEqual(['strict']);
    expect(directives.get('NoNewPrivileges')).toEqual(['yes']);
    expect(directives.get('ProtectHome')).toEqual(['yes']);
    expect(directives.get('PrivateTmp')).toEqual(['yes']);
    expect(directives.get('CapabilityBoundingSet')).toEqual(['']);
  });

  it.runIf(hasSystemd)('passes systemd-analyze verify', () => {
    // verify checks that ExecStart's binary exists: point it at this machine's node.
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-unit-')), 'tessera-central.service');
    fs.writeFileSync(copy, unit.replaceAll('/usr/bin/node', process.execPath));
    const r = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
    expect(r.stderr.split('\n').filter((l) => l.includes('tessera-central.service'))).toEqual([]);
    expect(r.status).toBe(0);
  });
});
