import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import type { PublishRelease, Release, UpdateFile } from '../../contracts/central/updates';
import { isManifestName } from '../../contracts/central/updates';
import {
  channelOf,
  checkManifestFiles,
  isNewer,
  ManifestError,
  manifestAllowed,
  newerFirst,
  parseManifest,
  servedManifest,
} from '../../domain/updates/manifest';
import type { CentralDb, Tenant, Tx } from '../db/pool';
import { AppError, notFound } from '../../platform/errors';

/**
 * The desktop app's update feed (docs/updates.md). Administrators upload a release's files, then publish
 * the release with electron-builder's manifests; workstations read `/v1/updates/<name>` with their device
 * credential, as electron-updater's generic provider does: the manifest for their platform and channel
 * first, then the installer or, for a differential download, its blockmap and byte ranges of it.
 */

/** Stored in chunks of this size: a range request reads only the chunks it covers. */
export const CHUNK_SIZE = 1024 * 1024;
/** The largest file accepted (installers are 100–250 MB). */
export const MAX_UPDATE_FILE_BYTES = 1024 * 1024 * 1024;

interface FileRow {
  id: string;
  name: string;
  sha512: string;
  size: number;
  chunk_size: number;
  created_at: Date;
}

interface ReleaseRow {
  id: string;
  version: string;
  channel: 'stable' | 'beta';
  staging_percentage: number;
  manifests: Record<string, string>;
  created_at: Date;
  updated_at: Date;
}

const toFile = (r: FileRow): UpdateFile => ({
  name: r.name,
  sha512: r.sha512,
  size: r.size,
  uploadedAt: r.created_at.toISOString(),
});

function toRelease(r: ReleaseRow): Release {
  const files = new Set<string>();
  for (const [name, text] of Object.entries(r.manifests)) {
    for (const f of parseManifest(name, text).files) files.add(f.url);
  }
  return {
    id: r.id,
    version: r.version,
    channel: r.channel,
    stagingPercentage: r.staging_percentage,
    manifests: Object.keys(r.manifests).sort(),
    files: [...files].sort(),
    publishedAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function ownOrg(tenant: Tenant & { orgId?: string | null }, orgId: string): void {
  if (tenant.orgId && tenant.orgId !== orgId) {
    throw new AppError(403, 'forbidden', 'You may manage the update feed of your own organization only.');
  }
}

async function requireOrg(tx: Tx, orgId: string): Promise<void> {
  const org = await tx.query('SELECT 1 FROM orgs WHERE id = $1', [orgId]);
  if (!org.rowCount) throw notFound('That organization');
}

/**
 * Stores an uploaded file as it streams in (hashing it on the way), in one transaction: a broken upload
 * leaves nothing. The same name uploaded again is accepted when the bytes are the same, and refused when
 * they differ: a published file must never change under a workstation that is downloading it.
 */
export async function uploadUpdateFile(
  db: CentralDb,
  tenant: Tenant,
  input: { orgId: string; name: string; body: Readable; declaredLength: number; createdBy: string | null },
): Promise<UpdateFile> {
  ownOrg(tenant, input.orgId);
  if (isManifestName(input.name)) {
    throw new AppError(
      400,
      'invalid_input',
      'Manifests (latest.yml, …) are not uploaded as files: publish them with the release.',
    );
  }
  return db.tx(tenant, async (tx) => {
    await requireOrg(tx, input.orgId);
    const existing = await tx.query<FileRow>(
      'SELECT id, name, sha512, size, chunk_size, created_at FROM update_files WHERE org_id = $1 AND name = $2',
      [input.orgId, input.name],
    );
    const id = uuidv7();
    if (!existing.rows[0]) {
      await tx.query(
        `INSERT INTO update_files (id, org_id, name, sha512, size, chunk_size, created_by)
         VALUES ($1, $2, $3, '', 0, $4, $5)`,
        [id, input.orgId, input.name, CHUNK_SIZE, input.createdBy],
      );
    }
    const hash = crypto.createHash('sha512');
    let size = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (final: boolean) => {
      while (pendingBytes >= CHUNK_SIZE || (final && pendingBytes > 0)) {
        const all = Buffer.concat(pending);
        const chunk = all.subarray(0, CHUNK_SIZE);
        pending = [all.subarray(chunk.length)];
        pendingBytes = all.length - chunk.length;
        if (!existing.rows[0]) {
          await tx.query('INSERT INTO update_file_chunks (file_id, org_id, seq, data) VALUES ($1, $2, $3, $4)', [
            id,
            input.orgId,
            seq,
            chunk,
          ]);
        }
        seq += 1;
      }
    };
    for await (const piece of input.body) {
      const buf = piece as Buffer;
      size += buf.length;
      if (size > input.declaredLength || size > MAX_UPDATE_FILE_BYTES) {
        throw new AppError(400, 'invalid_input', 'The upload is longer than its Content-Length.');
      }
      hash.update(buf);
      pending.push(buf);
      pendingBytes += buf.length;
      await flush(false);
    }
    await flush(true);
    if (size !== input.declaredLength) {
      throw new AppError(400, 'invalid_input', 'The upload ended before its Content-Length; nothing was stored.');
    }
    const sha512 = hash.digest('base64');
    const prior = existing.rows[0];
    if (prior) {
      if (prior.sha512 !== sha512 || prior.size !== size) {
        throw new AppError(
          409,
          'update_file_exists',
          `${input.name} was uploaded before with other content. A release's files never change: build a new version.`,
        );
      }
      return toFile(prior);
    }
    const r = await tx.query<FileRow>(
      `UPDATE update_files SET sha512 = $2, size = $3 WHERE id = $1
       RETURNING id, name, sha512, size, chunk_size, created_at`,
      [id, sha512, size],
    );
    return toFile(r.rows[0]!);
  });
}

/**
 * Publishes a release: every manifest must be one electron-updater reads for the release's channel, be for
 * this version, and name only uploaded files with their exact hash and size. A version must be newer than
 * every release of its channel: a bad release is withdrawn by publishing a higher version.
 */
export async function publishRelease(
  db: CentralDb,
  tenant: Tenant,
  orgId: string,
  input: PublishRelease,
  createdBy: string | null,
): Promise<Release> {
  ownOrg(tenant, orgId);
  const channel = channelOf(input.version);
  return db.tx(tenant, async (tx) => {
    await requireOrg(tx, orgId);
    const problems: string[] = [];
    const uploaded = new Map(
      (
        await tx.query<{ name: string; sha512: string; size: number }>(
          'SELECT name, sha512, size FROM update_files WHERE org_id = $1',
          [orgId],
        )
      ).rows.map((r) => [r.name, r]),
    );
    for (const [name, text] of Object.entries(input.manifests)) {
      if (!manifestAllowed(name, channel)) {
        problems.push(`${name} belongs to stable releases; a beta version (${input.version}) carries beta manifests only.`);
        continue;
      }
      try {
        problems.push(...checkManifestFiles(name, parseManifest(name, text), input.version, uploaded));
      } catch (err) {
        if (err instanceof ManifestError) problems.push(err.message);
        else throw err;
      }
    }
    if (problems.length) throw new AppError(400, 'invalid_release', problems.join(' '));
    const versions = (
      await tx.query<{ version: string; channel: string }>(
        'SELECT version, channel FROM update_releases WHERE org_id = $1',
        [orgId],
      )
    ).rows;
    const same = versions.find((v) => v.version === input.version);
    if (same) throw new AppError(409, 'release_exists', `Version ${input.version} was published already.`);
    const newest = versions
      .filter((v) => v.channel === channel)
      .map((v) => v.version)
      .sort(newerFirst)[0];
    if (newest && !isNewer(input.version, newest)) {
      throw new AppError(
        409,
        'release_not_newer',
        `Version ${input.version} is not newer than ${newest}, the newest ${channel} release. Workstations never go back: publish a higher version to replace a release.`,
      );
    }
    const r = await tx.query<ReleaseRow>(
      `INSERT INTO update_releases (id, org_id, version, channel, staging_percentage, manifests, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, version, channel, staging_percentage, manifests, created_at, updated_at`,
      [uuidv7(), orgId, input.version, channel, input.stagingPercentage, JSON.stringify(input.manifests), createdBy],
    );
    return toRelease(r.rows[0]!);
  });
}

export async function setRollout(
  db: CentralDb,
  tenant: Tenant,
  orgId: string,
  version: string,
  stagingPercentage: number,
): Promise<Release> {
  ownOrg(tenant, orgId);
  return db.tx(tenant, async (tx) => {
    const r = await tx.query<ReleaseRow>(
      `UPDATE update_releases SET staging_percentage = $3, updated_at = now()
        WHERE org_id = $1 AND version = $2
        RETURNING id, version, channel, staging_percentage, manifests, created_at, updated_at`,
      [orgId, version, stagingPercentage],
    );
    if (!r.rows[0]) throw notFound('That release');
    return toRelease(r.rows[0]);
  });
}

export async function listReleases(db: CentralDb, tenant: Tenant, orgId: string): Promise<Release[]> {
  ownOrg(tenant, orgId);
  return db.tx(
    tenant,
    async (tx) => {
      const r = await tx.query<ReleaseRow>(
        `SELECT id, version, channel, staging_percentage, manifests, created_at, updated_at
           FROM update_releases WHERE org_id = $1`,
        [orgId],
      );
      return r.rows.map(toRelease).sort((a, b) => newerFirst(a.version, b.version));
    },
    { readOnly: true },
  );
}

const orgOfClinic = `(SELECT c.org_id FROM clinics c WHERE c.id = $1)`;

/**
 * A manifest as the workstation's updater reads it: from the newest release that carries it (stable
 * releases carry beta manifests too, so a beta machine gets whichever is newer), with its rollout.
 */
export async function feedManifest(db: CentralDb, clinicId: string, name: string): Promise<string> {
  return db.tx(
    { clinicId },
    async (tx) => {
      const r = await tx.query<ReleaseRow>(
        `SELECT id, version, channel, staging_percentage, manifests, created_at, updated_at
           FROM update_releases WHERE org_id = ${orgOfClinic} AND manifests ? $2`,
        [clinicId, name],
      );
      const newest = r.rows.sort((a, b) => newerFirst(a.version, b.version))[0];
      if (!newest) throw notFound('An update');
      return servedManifest(newest.manifests[name]!, newest.staging_percentage);
    },
    { readOnly: true },
  );
}

export interface FeedFile {
  name: string;
  size: number;
  sha512: string;
  /** Reads bytes [start, end] (inclusive) of the file. */
  read(start: number, end: number): Promise<Buffer>;
}

/** An uploaded file of the workstation's organization, readable by byte range. */
export async function feedFile(db: CentralDb, clinicId: string, name: string): Promise<FeedFile> {
  const file = await db.tx(
    { clinicId },
    async (tx) =>
      (
        await tx.query<FileRow>(
          `SELECT id, name, sha512, size, chunk_size, created_at FROM update_files
            WHERE org_id = ${orgOfClinic} AND name = $2 AND sha512 <> ''`,
          [clinicId, name],
        )
      ).rows[0],
    { readOnly: true },
  );
  if (!file) throw notFound('That update file');
  return {
    name: file.name,
    size: file.size,
    sha512: file.sha512,
    read: (start, end) =>
      db.tx(
        { clinicId },
        async (tx) => {
          const first = Math.floor(start / file.chunk_size);
          const last = Math.floor(end / file.chunk_size);
          const r = await tx.query<{ seq: number; data: Buffer }>(
            'SELECT seq, data FROM update_file_chunks WHERE file_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq',
            [file.id, first, last],
          );
          const joined = Buffer.concat(r.rows.map((c) => c.data));
          const offset = start - first * file.chunk_size;
          return joined.subarray(offset, offset + (end - start + 1));
        },
        { readOnly: true },
      ),
  };
}
