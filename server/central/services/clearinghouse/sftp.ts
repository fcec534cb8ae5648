/**
 * The SFTP clearinghouse adapter (ssh2-sftp-client, a maintained wrapper of the ssh2 library).
 *
 * - Authentication by private key or password, and the server's host key pinned by its SHA-256 fingerprint
 *   (as `ssh-keygen -lf` prints it, `SHA256:…`): a clearinghouse impostor gets no claims.
 * - Upload writes `.<name>.part` and renames it into place, so the clearinghouse never picks up half a file;
 *   a file already there with the same bytes is `already_uploaded`; the same name with other bytes is an
 *   error (control numbers make names unique, so that is a real conflict, never overwritten).
 * - Inbound: one folder per kind (999, 277CA, 835, 271); dot-files and folders are ignored.
 * - Archive: rename into `<archive>/<kind>/`; if the archive already holds the same file (a crash after the
 *   rename was sent), the inbound copy is removed; a different file of the same name is archived beside it
 *   under a digest-suffixed name.
 * One connection per use (connect → work → close): polls are minutes apart and a held connection would
 * only go stale.
 */
import path from 'node:path/posix';
import crypto from 'node:crypto';
import SftpClient from 'ssh2-sftp-client';
import {
  type ClearinghousePort,
  ClearinghouseError,
  INBOUND_KINDS,
  type InboundFile,
  type InboundKind,
  sha256,
  type UploadResult,
} from './port';

export type SftpSettings = {
  host: string;
  port: number;
  username: string;
  privateKey?: string;
  password?: string;
  /** `SHA256:<base64>` of the server's host key; required — no trust on first use. */
  hostKeySha256: string;
  /** Where batch files go (e.g. `/outbound` or the clearinghouse's "upload"). */
  uploadDir: string;
  inboundDirs: Record<InboundKind, string>;
  archiveDir: string;
  readyTimeoutMs?: number;
};

export function fingerprintOf(key: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export class SftpClearinghouse implements ClearinghousePort {
  private client: SftpClient | null = null;

  constructor(private readonly settings: SftpSettings) {
    if (!settings.hostKeySha256.startsWith('SHA256:'))
      throw new ClearinghouseError(
        'The clearinghouse host key fingerprint must be given as SHA256:… (ssh-keygen -lf).',
      );
    if (!settings.privateKey && !settings.password)
      throw new ClearinghouseError('The clearinghouse connection needs a private key or a password.');
  }

  private async sftp(): Promise<SftpClient> {
    if (this.client) return this.client;
    // Quiet global listeners: the library's defaults print to stdout; errors reach us through the promises.
    const quiet = () => undefined;
    const client = new SftpClient('tessera-clearinghouse', { error: quiet, end: quiet, close: quiet });
    let hostKeyRejected = false;
    try {
      await client.connect({
        host: this.settings.host,
        port: this.settings.port,
        username: this.settings.username,
        privateKey: this.settings.privateKey,
        password: this.settings.password,
        readyTimeout: this.settings.readyTimeoutMs ?? 20_000,
        hostVerifier: (key: Buffer) => {
          const ok = fingerprintOf(key) === this.settings.hostKeySha256;
          hostKeyRejected = !ok;
          return ok;
        },
      });
    } catch (e) {
      throw new ClearinghouseError(
        hostKeyRejected
          ? 'The clearinghouse server’s host key does not match the configured fingerprint; nothing was sent.'
          : `Could not connect to the clearinghouse over SFTP: ${(e as Error).message}`,
      );
    }
    this.client = client;
    return client;
  }

  async upload(name: string, content: Buffer): Promise<UploadResult> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
      throw new ClearinghouseError(
        'A batch file name may hold letters, digits, dot, dash and underscore only.',
      );
    const c = await this.sftp();
    const target = path.join(this.settings.uploadDir, name);
    if ((await c.exists(target)) === '-') {
      const there = (await c.get(target)) as Buffer;
      if (sha256(there) === sha256(content)) return { name, status: 'already_uploaded' };
      throw new ClearinghouseError(
        `A different file named ${name} is already on the clearinghouse; it was not overwritten.`,
      );
    }
    const part = path.join(this.settings.uploadDir, `.${name}.part`);
    await c.put(content, part);
    await c.rename(part, target);
    return { name, status: 'uploaded' };
  }

  async listInbound(): Promise<InboundFile[]> {
    const c = await this.sftp();
    const out: InboundFile[] = [];
    for (const kind of INBOUND_KINDS) {
      const dir = this.settings.inboundDirs[kind];
      if ((await c.exists(dir)) !== 'd') continue;
      for (const f of await c.list(dir)) {
        if (f.type !== '-' || f.name.startsWith('.')) continue;
        out.push({
          ref: path.join(dir, f.name),
          name: f.name,
          kind,
          size: f.size,
          receivedAt: new Date(f.modifyTime).toISOString(),
        });
      }
    }
    return out.sort(
      (a, b) => (a.receivedAt ?? '').localeCompare(b.receivedAt ?? '') || a.name.localeCompare(b.name),
    );
  }

  async download(file: InboundFile): Promise<Buffer> {
    const c = await this.sftp();
    return (await c.get(file.ref)) as Buffer;
  }

  async archive(file: InboundFile): Promise<void> {
    const c = await this.sftp();
    const dir = path.join(this.settings.archiveDir, file.kind);
    if ((await c.exists(dir)) !== 'd') await c.mkdir(dir, true);
    if ((await c.exists(file.ref)) !== '-') return; // already moved
    let target = path.join(dir, file.name);
    if ((await c.exists(target)) === '-') {
      const [a, b] = await Promise.all([c.get(target), c.get(file.ref)]);
      if (sha256(a as Buffer) === sha256(b as Buffer)) {
        await c.delete(file.ref);
        return;
      }
      target = path.join(dir, `${file.name}.${sha256(b as Buffer).slice(0, 12)}`);
    }
    await c.rename(file.ref, target);
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.end();
  }
}
