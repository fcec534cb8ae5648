import type { Request, Response } from 'express';
import rangeParser from 'range-parser';
import { isManifestName } from '../../contracts/central/updates';
import type { CentralDb } from '../db/pool';
import { AppError } from '../../platform/errors';
import { adminTenant } from '../services/clinics';
import {
  feedFile,
  feedManifest,
  listReleases,
  MAX_UPDATE_FILE_BYTES,
  publishRelease,
  setRollout,
  uploadUpdateFile,
  type FeedFile,
} from '../services/updates';
import type { CentralHandlers } from './register';

/** Handlers of the update feed's endpoints (services/updates.ts has the rules). */
export function updateFeedHandlers(
  db: CentralDb,
): Pick<CentralHandlers, 'uploadUpdateFile' | 'createRelease' | 'listReleases' | 'setReleaseRollout' | 'updateFeed'> {
  return {
    uploadUpdateFile: ({ admin, params, req }) =>
      uploadUpdateFile(db, adminTenant(admin), {
        orgId: params.orgId,
        name: params.name,
        body: req,
        declaredLength: uploadLength(req),
        createdBy: admin.adminId,
      }),
    createRelease: ({ admin, params, body }) => publishRelease(db, adminTenant(admin), params.orgId, body, admin.adminId),
    listReleases: async ({ admin, params }) => ({ releases: await listReleases(db, adminTenant(admin), params.orgId) }),
    setReleaseRollout: ({ admin, params, body }) =>
      setRollout(db, adminTenant(admin), params.orgId, params.version, body.stagingPercentage),
    updateFeed: async ({ device, params, req, res }) => {
      // Never cached by a proxy: the manifest changes with every release and rollout, and the feed is private.
      res.setHeader('Cache-Control', 'private, no-store');
      if (isManifestName(params.name)) {
        const text = await feedManifest(db, device.clinicId, params.name);
        res.status(200).type('text/yaml; charset=utf-8').send(text);
        return;
      }
      await sendFile(res, req, await feedFile(db, device.clinicId, params.name));
    },
  };
}

/** An upload must say how long it is (it is streamed into the database) and fit the size limit. */
function uploadLength(req: Request): number {
  const header = req.headers['content-length'];
  if (header === undefined || !/^\d{1,12}$/.test(header)) {
    throw new AppError(411, 'length_required', 'Send the file with a Content-Length header.');
  }
  const length = Number(header);
  if (length > MAX_UPDATE_FILE_BYTES) {
    throw new AppError(413, 'too_large', 'Update files may be at most 1 GiB.');
  }
  return length;
}

/**
 * Sends a file whole, or the byte ranges asked for: one range as 206 with Content-Range, several (what
 * electron-updater's differential download asks for) as multipart/byteranges. The SHA-512 goes along so a
 * client can check what it got.
 */
async function sendFile(res: Response, req: Request, file: FeedFile): Promise<void> {
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('x-tessera-sha512', file.sha512);
  const header = req.headers.range;
  const ranges = header && file.size > 0 ? rangeParser(file.size, header, { combine: true }) : -2;
  if (ranges === -1) {
    res.setHeader('Content-Range', `bytes */${file.size}`);
    throw new AppError(416, 'range_not_satisfiable', 'That byte range is outside the file.');
  }
  if (ranges === -2 || ranges.type !== 'bytes') {
    res.status(200).type('application/octet-stream').setHeader('Content-Length', String(file.size));
    for (let start = 0; start < file.size; start += 8 * 1024 * 1024) {
      const chunk = await file.read(start, Math.min(file.size, start + 8 * 1024 * 1024) - 1);
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
    return;
  }
  if (ranges.length === 1) {
    const r = ranges[0]!;
    const body = await file.read(r.start, r.end);
    res
      .status(206)
      .type('application/octet-stream')
      .setHeader('Content-Range', `bytes ${r.start}-${r.end}/${file.size}`)
      .send(body);
    return;
  }
  const boundary = `tessera-${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  const parts: Buffer[] = [];
  for (const r of ranges) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes ${r.start}-${r.end}/${file.size}\r\n\r\n`,
      ),
      await file.read(r.start, r.end),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  res.status(206).type(`multipart/byteranges; boundary=${boundary}`).send(Buffer.concat(parts));
}
