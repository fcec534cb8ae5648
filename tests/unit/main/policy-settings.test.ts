import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyError, loadMachinePolicy, machinePolicyPath } from '../../../main/policy';
import { LockedSettingError, SettingsError, createSettingsStore } from '../../../main/settings';
import type { MachinePolicy } from '../../../server/contracts/desktop/index';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-policy-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writePolicy(content: string): string {
  const file = path.join(dir, 'policy.json');
  fs.writeFileSync(file, content);
  return file;
}

describe('machine policy location', () => {
  it('uses the OS standard, admin-only places', () => {
    expect(machinePolicyPath('linux')).toBe('/etc/tessera/policy.json');
    expect(machinePolicyPath('darwin')).toBe('/Library/Application Support/Tessera/policy.json');
    expect(machinePolicyPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe(
      'D:\\ProgramData\\Tessera\\policy.json',
    );
    expect(machinePolicyPath('win32', {})).toBe('C:\\ProgramData\\Tessera\\policy.json');
    expect(machinePolicyPath('win32', { ProgramData: 'relative\\dir' })).toBe(
      'C:\\ProgramData\\Tessera\\policy.json',
    );
  });

  it('has no environment override of its own', () => {
    expect(
      machinePolicyPath('linux', { TESSERA_POLICY: '/tmp/mine.json', TESSERA_POLICY_PATH: '/tmp/x' }),
    ).toBe('/etc/tessera/policy.json');
  });
});

describe('machine policy parsing', () => {
  it('applies defaults when there is no policy file', () => {
    expect(loadMachinePolicy(path.join(dir, 'absent.json'))).toEqual({
      policy: { allowKeyFile: false, settings: {}, updateDeferDays: 0 },
      source: null,
    });
  });

  it('reads a valid policy', () => {
    const file = writePolicy(
      JSON.stringify({
        allowKeyFile: true,
        settings: { autoUpdate: false, centralUrl: 'https://central.clinic.example' },
        updateDeferDays: 7,
      }),
    );
    expect(loadMachinePolicy(file)).toEqual({
      policy: {
        allowKeyFile: true,
        settings: { autoUpdate: false, centralUrl: 'https://central.clinic.example' },
        updateDeferDays: 7,
      },
      source: file,
    });
  });

  it('accepts a UTF-8 byte-order mark (Windows Notepad)', () => {
    const file = writePolicy('\uFEFF{"settings":{"updateChannel":"beta"}}');
    expect(loadMachinePolicy(file).policy.settings).toEqual({ updateChannel: 'beta' });
  });

  it.each([
    ['broken JSON', '{"allowKeyFile": true,', /not valid JSON/],
    ['unknown top-level key', '{"allowKeyFiles": true}', /invalid/],
    ['wrong type', '{"allowKeyFile": "yes"}', /invalid/],
    ['bad setting value', '{"settings": {"updateChannel": "nightly"}}', /invalid/],
    ['non-http central URL', '{"settings": {"centralUrl": "ftp://central"}}', /invalid/],
    ['not an object', '[]', /invalid/],
  ])('refuses to start on %s', (_name, content, pattern) => {
    const file = writePolicy(content);
    expect(() => loadMachinePolicy(file)).toThrow(PolicyError);
    expect(() => loadMachinePolicy(file)).toThrow(pattern);
    expect(() => loadMachinePolicy(file)).toThrow(file);
  });

  it('refuses to start when the policy exists but cannot be read', () => {
    const unreadable = () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    expect(() => loadMachinePolicy('/etc/tessera/policy.json', unreadable)).toThrow(
      /cannot be read \(EACCES\)/,
    );
  });
});

describe('settings merge and locking', () => {
  const settingsFile = () => path.join(dir, 'settings.json');
  const policy = (settings: MachinePolicy['settings'] = {}): MachinePolicy => ({
    allowKeyFile: false,
    updateDeferDays: 0,
    settings,
  });

  it('uses defaults with no user file and no policy', () => {
    expect(createSettingsStore({ file: settingsFile(), policy: policy() }).effective()).toEqual({
      settings: { centralUrl: null, autoUpdate: true, updateChannel: 'stable' },
      locked: [],
    });
  });

  it('merges defaults <- user <- policy and reports locked keys', () => {
    fs.writeFileSync(settingsFile(), JSON.stringify({ autoUpdate: false, updateChannel: 'beta' }));
    const store = createSettingsStore({
      file: settingsFile(),
      policy: policy({ updateChannel: 'stable', centralUrl: 'https://central.clinic.example' }),
    });
    expect(store.effective()).toEqual({
      settings: { centralUrl: 'https://central.clinic.example', autoUpdate: false, updateChannel: 'stable' },
      locked: ['centralUrl', 'updateChannel'],
    });
  });

  it('a policy can lock a value to null', () => {
    fs.writeFileSync(settingsFile(), JSON.stringify({ centralUrl: 'https://elsewhere.example' }));
    const store = createSettingsStore({ file: settingsFile(), policy: policy({ centralUrl: null }) });
    expect(store.effective().settings.centralUrl).toBeNull();
    expect(store.effective().locked).toEqual(['centralUrl']);
  });

  it('refuses to save a locked key and leaves the file untouched', () => {
    const store = createSettingsStore({ file: settingsFile(), policy: policy({ autoUpdate: true }) });
    let caught: unknown;
    try {
      store.save({ autoUpdate: false, updateChannel: 'beta' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LockedSettingError);
    expect((caught as LockedSettingError).keys).toEqual(['autoUpdate']);
    expect(fs.existsSync(settingsFile())).toBe(false);
    expect(store.effective().settings).toMatchObject({ autoUpdate: true, updateChannel: 'stable' });
  });

  it('saves unlocked keys, keeping earlier user choices', () => {
    const store = createSettingsStore({
      file: settingsFile(),
      policy: policy({ centralUrl: 'https://c.example' }),
    });
    store.save({ updateChannel: 'beta' });
    const result = store.save({ autoUpdate: false });
    expect(result.settings).toEqual({
      centralUrl: 'https://c.example',
      autoUpdate: false,
      updateChannel: 'beta',
    });
    expect(JSON.parse(fs.readFileSync(settingsFile(), 'utf8'))).toEqual({
      updateChannel: 'beta',
      autoUpdate: false,
    });
    if (process.platform !== 'win32') expect(fs.statSync(settingsFile()).mode & 0o777).toBe(0o600);
  });

  it.each([[{ updateChannel: 'nightly' }], [{ unknownKey: 1 }], ['not an object']])(
    'rejects invalid input %j',
    (patch) => {
      const store = createSettingsStore({ file: settingsFile(), policy: policy() });
      expect(() => store.save(patch)).toThrow(SettingsError);
      expect(fs.existsSync(settingsFile())).toBe(false);
    },
  );

  it('keeps valid keys from a damaged user file and warns about the rest', () => {
    fs.writeFileSync(
      settingsFile(),
      JSON.stringify({ autoUpdate: false, updateChannel: 'nightly', extra: true }),
    );
    const warnings: string[] = [];
    const store = createSettingsStore({
      file: settingsFile(),
      policy: policy(),
      warn: (m) => warnings.push(m),
    });
    expect(store.effective().settings).toEqual({
      centralUrl: null,
      autoUpdate: false,
      updateChannel: 'stable',
    });
    expect(warnings.join('\n')).toMatch(/updateChannel/);
    expect(warnings.join('\n')).toMatch(/extra/);
  });

  it('falls back to defaults when the user file is not JSON', () => {
    fs.writeFileSync(settingsFile(), '{oops');
    const store = createSettingsStore({ file: settingsFile(), policy: policy() });
    expect(store.effective().settings.autoUpdate).toBe(true);
  });
});
