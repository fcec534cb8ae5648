import type { Role } from '../../../contracts/admin/permissions';
import { CENTRAL_ORIGIN } from '../../../contracts/sync/rows';
import { hasPermission } from '../../../domain/admin/permission-matrix';
import { TELEHEALTH_TABLES } from '../../../contracts/telehealth/rows';
import type { StoredRow } from '../../../domain/sync/merge';
import type { Row } from '../../../domain/sync/policies';
import { parseStaffApproval, staffApprovalValid } from '../../../domain/sync/staff-approval';
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

/**
 * Staff accounts made on a workstation: what a device may change without an administrator's approval that
 * central can verify (domain/sync/staff-approval.ts). The same bookkeeping, first authenticator and used-up
 * recovery codes as above; not the account's existence, username, roles, activity or password, replacing or
 * removing its authenticator, adding recovery codes, or removing it. The clinic's first administrator
 * accounts (while the clinic has no account that may manage staff) come up without one.
 */
export const STAFF_UNAPPROVED = 'staff_unapproved';

const UNAPPROVED_MESSAGE =
  'This change to a staff account (its roles, password, activity or existence) carries no administrator approval the central server can verify. Make the change again while signed in as an administrator, or on the central server.';

const GUARDED = new Set(['username', 'roles', 'active', 'passwordHash']);
/** What an account may approve for itself (its holder proved the current password). */
const OWN = new Set(['passwordHash', 'mfaSecret', 'recoveryCodeHashes']);

const isSet = (v: unknown) => v !== null && v !== undefined && v !== '';

export function rolesOf(row: Row): Role[] {
  try {
    const parsed: unknown = JSON.parse(String(row.roles ?? '[]'));
    return Array.isArray(parsed) ? (parsed.filter((r) => typeof r === 'string') as Role[]) : [];
  } catch {
    return [];
  }
}

/** An account that may manage staff (and so approve changes to them). */
export const isManager = (row: Row | null | undefined): boolean =>
  !!row && row.active === true && !isSet(row.deletedAt) && hasPermission(rolesOf(row), 'users.manage');

/** The guarded fields this mutation changes on a workstation-made account ('*' for a new account). */
function guardedChanges(m: ApplyInput, stored: StoredRow | null): string[] {
  if (!stored) return ['*'];
  const current = stored.data;
  const out = new Set<string>();
  if (m.op === 'delete' || (isSet(m.row.deletedAt) && !isSet(current.deletedAt))) out.add('deletedAt');
  const named = m.changedFields ?? Object.keys(m.row);
  const enrolling = !isSet(current.mfaSecret) && typeof m.row.mfaSecret === 'string';
  for (const field of named) {
    if (same(current[field], m.row[field])) continue;
    if (GUARDED.has(field)) out.add(field);
    else if (field === 'mfaSecret' && isSet(current.mfaSecret)) out.add(field);
    else if (field === 'recoveryCodeHashes' && !enrolling) {
      const before = codes(current.recoveryCodeHashes);
      const after = codes(m.row.recoveryCodeHashes);
      if (!(before && after && after.every((h) => before.includes(h)))) out.add(field);
    }
  }
  return [...out];
}

export interface ApprovalContext {
  clinicId: string;
  /** The approving account as central holds it now (secrets decrypted), or null. */
  account(id: string): Row | null;
  /** Whether the clinic has an account that may manage staff (at central or earlier in this batch). */
  hasManager(): boolean;
}

/** Why central may not take this device's change to a workstation-made staff account, or null. */
export function staffApprovalProblem(
  m: ApplyInput,
  stored: StoredRow | null,
  ctx: ApprovalContext,
): string | null {
  if (m.table !== 'users' || stored?.created[1] === CENTRAL_ORIGIN) return null;
  const guarded = guardedChanges(m, stored);
  if (!guarded.length) return null;
  const approval = parseStaffApproval(m.row.changeApproval);
  if (!approval) return !stored && !ctx.hasManager() ? null : UNAPPROVED_MESSAGE;
  // An approval is used once: only one newer than the approval the account already holds counts.
  const previous = stored ? parseStaffApproval(stored.data.changeApproval) : null;
  if (previous && !(Date.parse(approval.at) > Date.parse(previous.at))) return UNAPPROVED_MESSAGE;
  let key: unknown;
  if (approval.by === m.rowId) {
    if (!stored || !guarded.every((f) => OWN.has(f))) return UNAPPROVED_MESSAGE;
    if (stored.data.active !== true || isSet(stored.data.deletedAt)) return UNAPPROVED_MESSAGE;
    key = stored.data.passwordHash;
  } else {
    const approver = ctx.account(approval.by);
    if (!isManager(approver)) return UNAPPROVED_MESSAGE;
    key = approver!.passwordHash;
  }
  if (typeof key !== 'string' || !staffApprovalValid(approval, key, ctx.clinicId, m.rowId, m.row))
    return UNAPPROVED_MESSAGE;
  return null;
}

const CENTRAL_ONLY: ReadonlySet<string> = new Set(TELEHEALTH_TABLES);

/**
 * Tables only central writes (the telehealth visit record: sessions, events, chat happen at central):
 * a workstation's change to one is refused into the conflict inbox, whatever it says. Likewise what only a
 * patient writes in the portal: a questionnaire's answers, a submitted form and the changes it proposes,
 * a message in the patient's name (a workstation writes staff messages, read receipts and assignment
 * only), and a tracking entry (weight, blood pressure, …). And a file from the clearinghouse, which central fetches (a workstation records only its import).
 */
export function centralOnlyProblem(m: ApplyInput, stored: StoredRow | null = null): string | null {
  if (CENTRAL_ONLY.has(m.table))
    return 'Telehealth visit records are written by the central server only; this change was not applied.';
  if (m.table === 'questionnaire_responses' && !stored)
    return 'Questionnaire answers come from the patient in the portal only; this change was not applied.';
  if ((m.table === 'portal_form_submissions' || m.table === 'portal_demographic_changes') && !stored)
    return 'Forms and the changes they propose come from the patient in the portal only; this change was not applied.';
  if (m.table === 'appointment_requests' && !stored)
    return 'Appointment requests come from the patient in the portal only; this change was not applied.';
  if (m.table === 'portal_messages' && !stored && m.row.sender !== 'staff')
    return 'Messages in the patient’s name come from the portal only; this change was not applied.';
  if (m.table === 'portal_files' && !stored)
    return 'Files in the portal are stored by the central server only; this change was not applied.';
  if (m.table === 'tracking_entries' && !stored)
    return 'Tracking entries come from the patient in the portal only; this change was not applied.';
  if (m.table === 'medication_adherence')
    return 'Medication reports come from the patient in the portal only; this change was not applied.';
  if (m.table === 'claim_inbound_files' && !stored)
    return 'Clearinghouse files are fetched by the central server only; this change was not applied.';
  return null;
}
