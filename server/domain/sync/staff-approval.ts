import crypto from 'node:crypto';
import type { Row } from './policies';

/**
 * An administrator's signed approval of a change to a staff account made on a workstation.
 *
 * A stolen device credential lets its holder push rows as that workstation. Staff accounts made on a
 * workstation replicate like any row, so without more it could give itself an administrator, reset a
 * password or switch an account off on every workstation of the clinic. Central therefore accepts a
 * security-relevant change to such an account (its existence, username, roles, activity, password,
 * replacing or removing its authenticator, adding recovery codes, removal) only when the row carries an
 * approval that central can verify: an HMAC over exactly the approved values, keyed from the approving
 * account's password hash as central holds it. The credential alone never reveals that hash (a pull hands
 * secrets out wrapped, under a key given at enrollment only), so it cannot forge an approval.
 *
 * Who may approve: an account holding `users.manage` (an administrator), or the account itself for its own
 * password, authenticator and recovery codes (keyed from its password hash *before* the change, i.e. its
 * holder proved the current password on the workstation). Each approval carries its time, and central takes
 * only one newer than the approval the row already holds, so an old approval cannot be replayed to undo a
 * later change. See docs/security.md ("A stolen workstation credential").
 */

export const STAFF_APPROVAL_VERSION = 1;

/** The values an approval covers: everything central guards on a workstation-made account. */
export const APPROVED_FIELDS = [
  'username',
  'roles',
  'active',
  'passwordHash',
  'mfaSecret',
  'recoveryCodeHashes',
  'deletedAt',
] as const;

export interface StaffApproval {
  v: number;
  /** The approving account's id. */
  by: string;
  /** When it was given (ISO instant); newer than the row's previous approval. */
  at: string;
  mac: string;
}

const keyFrom = (approverPasswordHash: string) =>
  crypto
    .createHash('sha256')
    .update(`tessera.staff-approval.v${STAFF_APPROVAL_VERSION}\u0000${approverPasswordHash}`, 'utf8')
    .digest();

function message(clinicId: string, rowId: string, by: string, at: string, row: Row): string {
  return JSON.stringify([
    `tessera.staff-approval.v${STAFF_APPROVAL_VERSION}`,
    clinicId,
    rowId,
    by,
    at,
    ...APPROVED_FIELDS.map((f) => row[f] ?? null),
  ]);
}

const macOf = (key: Buffer, text: string) =>
  crypto.createHmac('sha256', key).update(text, 'utf8').digest('base64url');

/** The approval (JSON text, for the row's `changeApproval`) of `row` as it will be stored. */
export function signStaffApproval(opts: {
  approverId: string;
  approverPasswordHash: string;
  clinicId: string;
  rowId: string;
  row: Row;
  at: string;
}): string {
  const mac = macOf(
    keyFrom(opts.approverPasswordHash),
    message(opts.clinicId, opts.rowId, opts.approverId, opts.at, opts.row),
  );
  const approval: StaffApproval = { v: STAFF_APPROVAL_VERSION, by: opts.approverId, at: opts.at, mac };
  return JSON.stringify(approval);
}

/** The approval a row carries, or null when it carries none (or something that is not one). */
export function parseStaffApproval(value: unknown): StaffApproval | null {
  if (typeof value !== 'string' || value.length > 1000) return null;
  try {
    const a = JSON.parse(value) as Partial<StaffApproval>;
    if (
      a.v !== STAFF_APPROVAL_VERSION ||
      typeof a.by !== 'string' ||
      typeof a.at !== 'string' ||
      typeof a.mac !== 'string' ||
      Number.isNaN(Date.parse(a.at))
    )
      return null;
    return { v: a.v, by: a.by, at: a.at, mac: a.mac };
  } catch {
    return null;
  }
}

/** Whether `approval` was made with `approverPasswordHash` for exactly these values of the row. */
export function staffApprovalValid(
  approval: StaffApproval,
  approverPasswordHash: string,
  clinicId: string,
  rowId: string,
  row: Row,
): boolean {
  const expected = Buffer.from(
    macOf(keyFrom(approverPasswordHash), message(clinicId, rowId, approval.by, approval.at, row)),
  );
  const given = Buffer.from(approval.mac);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
