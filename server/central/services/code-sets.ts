import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { CodeSetRelease } from '../../contracts/central';
import { parseCodeSetFile } from '../../domain/clinical/icd10';
import type { CentralDb, Tenant, Tx } from '../db/pool';
import { AppError, notFound } from '../../platform/errors';

/**
 * Code sets at central: an organization imports CDC's ICD-10-CM file once (API or CLI); each workstation of
 * its clinics sees the current release's digest and downloads the file when it differs from what it has
 * installed, checking the SHA-256 before installing it. Releases are kept (the newest is current), so a
 * workstation that installs a release keeps the codes an older one had as retired (see the workstation's
 * code-set service).
 */

/** Below this a file is a subset, accepted only when the importer says so (as on the workstation). */
const FULL_CODE_SET_MINIMUM = 10_000;

interface ReleaseRow {
  id: string;
  org_id: string;
  release: string;
  digest: string;
  code_count: number;
  created_at: Date;
}

const toRelease = (r: ReleaseRow): CodeSetRelease => ({
  id: r.id,
  orgId: r.org_id,
  codeSet: 'icd10cm',
  release: r.release,
  digest: r.digest,
  codeCount: r.code_count,
  publishedAt: r.created_at.toISOString(),
});

/** Checks the file as the workstation will (every line a code), so no workstation is sent a bad one. */
export function checkCodeSetFile(text: string, allowPartial: boolean): { codeCount: number; digest: string } {
  const parsed = parseCodeSetFile(text);
  if (parsed.problems.length) {
    const first = parsed.problems.slice(0, 5).map((p) => `line ${p.line}: ${p.problem}`);
    throw new AppError(
      400,
      'invalid_code_set',
      `That file is not an ICD-10-CM codes or order file (${parsed.problems.length.toLocaleString('en-US')} lines did not parse; ${first.join('; ')}). Use the codes file (icd10cm-codes-<year>.txt) from CDC's "Code Descriptions in Tabular Order" zip.`,
    );
  }
  if (parsed.entries.length < FULL_CODE_SET_MINIMUM && !allowPartial) {
    throw new AppError(
      400,
      'invalid_code_set',
      `That file holds ${parsed.entries.length.toLocaleString('en-US')} codes; the complete ICD-10-CM code set has over 70,000. Use CDC's full codes file, or import this one as a partial code set (allowPartial).`,
    );
  }
  return {
    codeCount: parsed.entries.length,
    digest: crypto.createHash('sha256').update(text, 'utf8').digest('hex'),
  };
}

/** Stores a checked release as the organization's current one (in the caller's transaction). */
export async function insertRelease(
  tx: Tx,
  input: { orgId: string; release: string; text: string; createdBy: string | null; allowPartial: boolean },
): Promise<CodeSetRelease> {
  const { codeCount, digest } = checkCodeSetFile(input.text, input.allowPartial);
  const org = await tx.query('SELECT 1 FROM orgs WHERE id = $1', [input.orgId]);
  if (!org.rowCount) throw notFound('That organization');
  const r = await tx.query<ReleaseRow>(
    `INSERT INTO code_set_releases (id, org_id, code_set, release, digest, code_count, content, created_by)
     VALUES ($1, $2, 'icd10cm', $3, $4, $5, $6, $7)
     RETURNING id, org_id, release, digest, code_count, created_at`,
    [uuidv7(), input.orgId, input.release, digest, codeCount, input.text, input.createdBy],
  );
  return toRelease(r.rows[0]!);
}

export async function publishCodeSet(
  db: CentralDb,
  tenant: Tenant,
  input: { orgId: string; release: string; text: string; createdBy: string | null; allowPartial: boolean },
): Promise<CodeSetRelease> {
  return db.tx(tenant, (tx) => insertRelease(tx, input));
}

/** The current release of a workstation's organization (none until one is imported). */
export async function currentCodeSet(db: CentralDb, clinicId: string): Promise<CodeSetRelease | null> {
  return db.tx(
    { clinicId },
    async (tx) => {
      const r = await tx.query<ReleaseRow>(
        `SELECT r.id, r.org_id, r.release, r.digest, r.code_count, r.created_at
           FROM code_set_releases r JOIN clinics c ON c.org_id = r.org_id
          WHERE c.id = $1 AND r.code_set = 'icd10cm'
          ORDER BY r.created_at DESC, r.id DESC LIMIT 1`,
        [clinicId],
      );
      return r.rows[0] ? toRelease(r.rows[0]) : null;
    },
    { readOnly: true },
  );
}

/** A release's file, for a workstation of the organization (row-level security keeps others out). */
export async function codeSetContent(
  db: CentralDb,
  clinicId: string,
  id: string,
): Promise<{ text: string; digest: string; release: string }> {
  return db.tx(
    { clinicId },
    async (tx) => {
      const r = await tx.query<{ content: string; digest: string; release: string }>(
        'SELECT content, digest, release FROM code_set_releases WHERE id = $1',
        [id],
      );
      if (!r.rows[0]) throw notFound('That code-set release');
      return { text: r.rows[0].content, digest: r.rows[0].digest, release: r.rows[0].release };
    },
    { readOnly: true },
  );
}

/** An organization's releases, newest (the current one) first, without their files. */
export async function listCodeSets(db: CentralDb, tenant: Tenant, orgId: string): Promise<CodeSetRelease[]> {
  if (tenant.orgId && tenant.orgId !== orgId) throw notFound('That organization');
  return db.tx(
    tenant,
    async (tx) => {
      const r = await tx.query<ReleaseRow>(
        `SELECT id, org_id, release, digest, code_count, created_at FROM code_set_releases
          WHERE org_id = $1 AND code_set = 'icd10cm' ORDER BY created_at DESC, id DESC`,
        [orgId],
      );
      return r.rows.map(toRelease);
    },
    { readOnly: true },
  );
}
