/**
 * The HTTPS clearinghouse adapter, behind the same port as SFTP. Its shape follows the public description
 * of the Change Healthcare / Optum "Medical Network" APIs (which Stedi also mirrors): an OAuth 2.0
 * client-credentials token, raw X12 submission as JSON `{ "x12": "ISA*…" }`, and a reports mailbox that is
 * listed (`GET …/reports/v2` → `{ reportNames: [...] }`), read (`GET …/reports/v2/{name}`, the X12 text) and
 * emptied (`DELETE …/reports/v2/{name}`). Report names carry the kind in a prefix (X3… 277, R5… 835); the
 * content decides in the end (port.ts `kindOfContent`). Paths are configurable because each vendor's
 * differ; tests run this adapter against a recorded-contract double (tests/support/clearinghouse-double.ts).
 *
 * Idempotent upload: an API cannot be asked "is this file already there?", so the adapter keeps a sent log
 * of name → digest (and the API's answer); the same name and bytes again is `already_uploaded` without a
 * request, other bytes under a sent name are refused. Central's job passes its table (sent-log.ts), written
 * the moment the API took the file, so a send whose transmission row did not commit (a crash, a failed
 * batch-row update) is not submitted again after a restart. The in-memory log is for tests only.
 * Archive = DELETE from the mailbox (a 404 there means already archived). The token is cached until a
 * minute before it expires and fetched again once on a 401.
 */
import {
  type ClearinghousePort,
  ClearinghouseError,
  type InboundFile,
  type InboundKind,
  kindOfContent,
  sha256,
  type UploadResult,
} from './port';

export type HttpsSettings = {
  /** e.g. https://apigw.example.com; must be https except on loopback (the test double). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  tokenPath?: string;
  submitPath?: string;
  reportsPath?: string;
  /** Extra headers a vendor requires (e.g. a submitter id); never patient data. */
  headers?: Record<string, string>;
};

export type SentLog = {
  get(name: string): Promise<string | null> | string | null;
  /** `answer`: what the API said, as a sentence (its status and control number), never file content. */
  record(name: string, sha256: string, answer: string): Promise<void> | void;
};

export function memorySentLog(): SentLog {
  const m = new Map<string, string>();
  return { get: (n) => m.get(n) ?? null, record: (n, s) => void m.set(n, s) };
}

/** The API's acceptance as a sentence: HTTP status, and its status word and control number when it sends them. */
export function submissionAnswer(status: number, body: unknown): string {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const word = (v: unknown) => (typeof v === 'string' && /^[\w .:-]{1,40}$/.test(v) ? v : null);
  const parts = [`HTTP ${status}`, word(b.status), word(b.controlNumber) && `control number ${word(b.controlNumber)}`];
  return `Taken by the clearinghouse API (${parts.filter(Boolean).join(', ')}).`;
}

const PREFIX_KIND: Record<string, InboundKind> = { X3: '277CA', R5: '835' };

export class HttpsClearinghouse implements ClearinghousePort {
  private token: { value: string; until: number } | null = null;
  private readonly cache = new Map<string, Buffer>();

  constructor(
    private readonly settings: HttpsSettings,
    private readonly sent: SentLog = memorySentLog(),
  ) {
    const u = new URL(settings.baseUrl);
    const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
    if (u.protocol !== 'https:' && !loopback)
      throw new ClearinghouseError('The clearinghouse API address must start with https://.');
  }

  private url(p: string) {
    return new URL(p, this.settings.baseUrl).toString();
  }

  private async accessToken(force = false): Promise<string> {
    if (!force && this.token && Date.now() < this.token.until) return this.token.value;
    const res = await fetch(this.url(this.settings.tokenPath ?? '/apip/auth/v2/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        client_id: this.settings.clientId,
        client_secret: this.settings.clientSecret,
        grant_type: 'client_credentials',
      }),
    });
    if (!res.ok)
      throw new ClearinghouseError(`The clearinghouse refused the API credentials (HTTP ${res.status}).`);
    const body = (await res.json()) as { access_token?: string; expires_in?: number | string };
    if (!body.access_token)
      throw new ClearinghouseError('The clearinghouse token answer has no access_token.');
    const seconds = Number(body.expires_in ?? 3600);
    this.token = { value: body.access_token, until: Date.now() + Math.max(0, seconds - 60) * 1000 };
    return this.token.value;
  }

  private async call(method: string, p: string, body?: unknown): Promise<Response> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.accessToken(attempt > 0);
      const res = await fetch(this.url(p), {
        method,
        headers: {
          ...this.settings.headers,
          authorization: `Bearer ${token}`,
          accept: 'application/json, text/plain',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status === 401 && attempt === 0) continue;
      return res;
    }
    throw new ClearinghouseError('The clearinghouse kept refusing a fresh token.');
  }

  async upload(name: string, content: Buffer): Promise<UploadResult> {
    const digest = sha256(content);
    const before = await this.sent.get(name);
    if (before === digest) return { name, status: 'already_uploaded' };
    if (before)
      throw new ClearinghouseError(`A different file named ${name} was already sent; it was not sent again.`);
    const res = await this.call(
      'POST',
      this.settings.submitPath ?? '/medicalnetwork/professionalclaims/v3/raw-x12-submission',
      {
        x12: content.toString('utf8'),
      },
    );
    if (!res.ok) {
      const detail = (await res.json().catch(() => null)) as { errors?: { description?: string }[] } | null;
      const why = detail?.errors
        ?.map((e) => e.description)
        .filter(Boolean)
        .join('; ');
      throw new ClearinghouseError(
        `The clearinghouse did not take ${name} (HTTP ${res.status})${why ? `: ${why}` : '.'}`,
      );
    }
    const body: unknown = await res.json().catch(() => null);
    await this.sent.record(name, digest, submissionAnswer(res.status, body));
    return { name, status: 'uploaded' };
  }

  async listInbound(): Promise<InboundFile[]> {
    const reports = this.settings.reportsPath ?? '/medicalnetwork/reports/v2';
    const res = await this.call('GET', reports);
    if (!res.ok)
      throw new ClearinghouseError(`The clearinghouse mailbox could not be listed (HTTP ${res.status}).`);
    const { reportNames = [] } = (await res.json()) as { reportNames?: string[] };
    const out: InboundFile[] = [];
    for (const name of reportNames) {
      let kind = PREFIX_KIND[name.slice(0, 2).toUpperCase()];
      if (!kind) {
        // Unknown prefix (999s, 271s vary by vendor): read it now and keep it for download().
        const content = await this.fetchReport(name);
        const byContent = kindOfContent(content);
        if (!byContent) continue;
        kind = byContent;
      }
      out.push({ ref: name, name, kind, size: this.cache.get(name)?.length ?? 0, receivedAt: null });
    }
    return out;
  }

  private async fetchReport(name: string): Promise<Buffer> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const res = await this.call(
      'GET',
      `${this.settings.reportsPath ?? '/medicalnetwork/reports/v2'}/${encodeURIComponent(name)}`,
    );
    if (!res.ok)
      throw new ClearinghouseError(
        `The clearinghouse report ${name} could not be read (HTTP ${res.status}).`,
      );
    const content = Buffer.from(await res.arrayBuffer());
    this.cache.set(name, content);
    return content;
  }

  download(file: InboundFile): Promise<Buffer> {
    return this.fetchReport(file.ref);
  }

  async archive(file: InboundFile): Promise<void> {
    const res = await this.call(
      'DELETE',
      `${this.settings.reportsPath ?? '/medicalnetwork/reports/v2'}/${encodeURIComponent(file.ref)}`,
    );
    if (!res.ok && res.status !== 404)
      throw new ClearinghouseError(
        `The clearinghouse report ${file.name} could not be removed (HTTP ${res.status}).`,
      );
    this.cache.delete(file.ref);
  }

  async close(): Promise<void> {
    this.cache.clear();
  }
}
