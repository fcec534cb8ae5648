import { CENTRAL_ORIGIN } from '../../../contracts/sync/rows';
import { TELEHEALTH_TABLES } from '../../../contracts/telehealth/rows';
import type { StoredRow } from '../../../domain/sync/merge';
import type { ApplyInput } from './apply';

/**
 * What a workstation's credential may change in a staff account that central manages (one created through
 * the administrators' API): the sign-in bookkeeping every workstation keeps, a first authenticator on an
 * account that has none (enrolled at the account's first sign-in), and using up recovery codes. Not the
 * username, name, roles, activity, password, an existing authenticator, or the account's existence: those
 * change on central only. See the threat model in docs/security.md.
 */

export const CENTRALLY_MANAGED = 'centrally_managed';

const BOOKKEEPING = new Set(['failedAttempts', 'lockedUntil', 'lastLoginAt', 'mfaLastCounter', 'updatedAt']);
const FIRST_AUTHENTICATOR = new Set(['mfaSecret', 'mfaEnrolledAt', 'recoveryCodeHashes']);

const MESSAGE =
  'This staff account is managed on the central server: its name, roles, password and authenticator change there (ask a central administrator).';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function codes(value: unknown): string[] | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

/** Why a device may not make this change to a centrally managed account, or null when it may. */
export function staffWriteProblem(m: ApplyInput, stored: StoredRow | null): string | null {
  if (m.table !== 'users' || !stored || stored.created[1] !== CENTRAL_ORIGIN) return null;
  if (m.op === 'delete') return MESSAGE;
  const current = stored.data;
  const named = m.changedFields ?? Object.keys(m.row);
  for (const field of named.filter((f) => !same(current[f], m.row[f]))) {
    if (BOOKKEEPING.has(field)) continue;
    const enrolling = current.mfaSecret === null || current.mfaSecret === undefined;
    if (FIRST_AUTHENTICATOR.has(field) && enrolling && typeof m.row.mfaSecret === 'string') continue;
    if (field === 'recoveryCodeHashes') {
      const before = codes(current.recoveryCodeHashes);
      const after = codes(m.row.recoveryCodeHashes);
      if (before && after && after.every((h) => before.includes(h))) continue;
    }
    return MESSAGE;
  }
  return null;
}

const CENTRAL_ONLY: ReadonlySet<string> = new Set(TELEHEALTH_TABLES);

/**
 * Tables only central writes (the telehealth visit record: sessions, events, chat happen at central):
 * a workstation's change to one is refused into the conflict inbox, whatever it says.
 */
export function centralOnlyProblem(m: ApplyInput): string | null {
  return CENTRAL_ONLY.has(m.table)
    ? 'Telehealth visit records are written by the central server only; this change was not applied.'
    : null;
}
