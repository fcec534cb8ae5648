import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { machinePolicySchema, type MachinePolicy } from '../server/contracts/desktop/index';

/**
 * Where IT places the machine policy. These folders are writable only by administrators, which is what makes
 * the policy a lock. The path is fixed per OS; tests inject another path instead of using an environment
 * variable, so a user cannot point the app at a policy of their own.
 */
export function machinePolicyPath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env): string {
  switch (platform) {
    case 'win32': {
      const programData =
        env.ProgramData && path.win32.isAbsolute(env.ProgramData) ? env.ProgramData : 'C:\\ProgramData';
      return path.win32.join(programData, 'Tessera', 'policy.json');
    }
    case 'darwin':
      return '/Library/Application Support/Tessera/policy.json';
    default:
      return '/etc/tessera/policy.json';
  }
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

export interface LoadedPolicy {
  policy: MachinePolicy;
  /** The file it came from, or null when no policy file exists (defaults apply). */
  source: string | null;
}

type ReadText = (file: string) => string;

const readUtf8: ReadText = (file) => fs.readFileSync(file, 'utf8');

/**
 * A missing file means "no policy". A file that exists but cannot be read or parsed stops the app: silently
 * ignoring it would quietly drop whatever IT locked down.
 */
export function loadMachinePolicy(file: string, readText: ReadText = readUtf8): LoadedPolicy {
  let text: string;
  try {
    text = readText(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { policy: machinePolicySchema.parse({}), source: null };
    throw new PolicyError(`The machine policy at ${file} exists but cannot be read (${code ?? 'error'}).`);
  }

  let json: unknown;
  try {
    // Notepad on Windows saves UTF-8 with a byte-order mark, which JSON.parse rejects.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new PolicyError(`The machine policy at ${file} is not valid JSON: ${(err as Error).message}`);
  }

  const parsed = machinePolicySchema.safeParse(json);
  if (!parsed.success) {
    throw new PolicyError(`The machine policy at ${file} is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return { policy: parsed.data, source: file };
}
