import * as fs from 'node:fs';
import { z } from 'zod';
import {
  defaultWorkstationSettings,
  workstationSettingsSchema,
  type MachinePolicy,
  type WorkstationSettings,
} from '../server/contracts/desktop/index';
import { writePrivateFile } from './private-file';

export type SettingKey = keyof WorkstationSettings;
const SETTING_KEYS = Object.keys(workstationSettingsSchema.shape) as SettingKey[];

export interface EffectiveSettings {
  settings: WorkstationSettings;
  /** Keys the machine policy sets; the user cannot change them. */
  locked: SettingKey[];
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export class LockedSettingError extends SettingsError {
  override name = 'LockedSettingError';
  constructor(readonly keys: SettingKey[]) {
    super(`These settings are set by the machine policy and cannot be changed here: ${keys.join(', ')}.`);
  }
}

export interface SettingsStore {
  effective(): EffectiveSettings;
  /** Validates and saves user settings; refuses any key the policy locks. Returns the new effective settings. */
  save(patch: unknown): EffectiveSettings;
}

export interface SettingsStoreOptions {
  file: string;
  policy: MachinePolicy;
  readText?: (file: string) => string;
  writeText?: (file: string, text: string) => void;
  warn?: (message: string) => void;
}

const userPatchSchema = workstationSettingsSchema.partial().strict();

function lockedKeys(policy: MachinePolicy): SettingKey[] {
  return SETTING_KEYS.filter((key) => policy.settings[key] !== undefined);
}

/**
 * The user file is the user's own: a damaged or hand-edited one must not stop a clinic from working, so each
 * key is kept only if it is valid on its own and the rest fall back to defaults.
 */
function salvageUserSettings(raw: unknown, warn: (message: string) => void): Partial<WorkstationSettings> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    warn('User settings file is not a JSON object; using defaults.');
    return {};
  }
  const out: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, value] of Object.entries(raw)) {
    const schema = (workstationSettingsSchema.shape as Record<string, z.ZodType | undefined>)[key];
    if (!schema) {
      warn(`Ignoring unknown user setting "${key}".`);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) out[key as SettingKey] = parsed.data;
    else warn(`Ignoring invalid user setting "${key}".`);
  }
  return out as Partial<WorkstationSettings>;
}

export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const readText = options.readText ?? ((file: string) => fs.readFileSync(file, 'utf8'));
  const writeText = options.writeText ?? writePrivateFile;
  const warn = options.warn ?? (() => {});
  const locked = lockedKeys(options.policy);

  function readUser(): Partial<WorkstationSettings> {
    let text: string;
    try {
      text = readText(options.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    try {
      return salvageUserSettings(JSON.parse(text), warn);
    } catch {
      warn('User settings file is not valid JSON; using defaults.');
      return {};
    }
  }

  function effective(): EffectiveSettings {
    const settings: WorkstationSettings = { ...defaultWorkstationSettings, ...readUser() };
    for (const key of locked) Object.assign(settings, { [key]: options.policy.settings[key] });
    return { settings, locked: [...locked] };
  }

  function save(patch: unknown): EffectiveSettings {
    const parsed = userPatchSchema.safeParse(patch);
    if (!parsed.success) throw new SettingsError(`Settings not saved:\n${z.prettifyError(parsed.error)}`);
    const lockedInPatch = (Object.keys(parsed.data) as SettingKey[]).filter((key) => locked.includes(key));
    if (lockedInPatch.length > 0) throw new LockedSettingError(lockedInPatch);
    writeText(options.file, `${JSON.stringify({ ...readUser(), ...parsed.data }, null, 2)}\n`);
    return effective();
  }

  return { effective, save };
}
