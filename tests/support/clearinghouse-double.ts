/**
 * A recorded-contract double of an HTTPS clearinghouse API (the Change Healthcare / Optum "Medical Network"
 * shape that server/central/services/clearinghouse/https.ts speaks), on loopback:
 *  - `POST /apip/auth/v2/token` with JSON `{ client_id, client_secret, grant_type: "client_credentials" }`
 *    → `{ access_token, token_type: "bearer", expires_in }`; wrong credentials → 401 `{ error: "invalid_client" }`;
 *  - `POST /medicalnetwork/professionalclaims/v3/raw-x12-submission` with `{ x12 }` → 200
 *    `{ status: "SUCCESS", controlNumber }` (ISA13); not X12 → 400 `{ errors: [{ field, description }] }`;
 *    an interchange control number reused with other content → 400 (duplicate interchange);
 *  - `GET /medicalnetwork/reports/v2` → `{ reportNames }`; `GET …/{name}` → the X12 text; `DELETE …/{name}`
 *    → `{ status: "SUCCESS" }`; unknown name → 404.
 * Every protected route answers 401 without a valid, unexpired bearer token. `expireTokens()` makes every
 * issued token stale (to prove the adapter re-authenticates). `deliver()` is the clearinghouse putting a
 * 999/277CA/835/271 in the mailbox. Every request is kept in `requests`.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedCall = { method: string; path: string; status: number; authorized: boolean };

export type ClearinghouseDouble = {
  url: string;
  clientId: string;
  clientSecret: string;
  requests: RecordedCall[];
  submissions: string[];
  deliver(name: string, content: string | Buffer): void;
  mailbox(): string[];
  expireTokens(): void;
  close(): Promise<void>;
};

export async function startClearinghouseDouble(): Promise<ClearinghouseDouble> {
  const clientId = 'tessera-test-client';
  const clientSecret = crypto.randomBytes(16).toString('hex');
  const tokens = new Set<string>();
  const reports = new Map<string, Buffer>();
  const byIcn = new Map<string, string>();
  const requests: RecordedCall[] = [];
  const submissions: string[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://double');
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const authorized = bearer !== undefined && tokens.has(bearer);
      const send = (status: number, body: unknown, type = 'application/json') => {
        requests.push({ method: req.method ?? '', path: url.pathname, status, authorized });
        res.writeHead(status, { 'content-type': type, 'x-request-id': crypto.randomUUID() });
        res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
      };
      let json: Record<string, unknown> = {};
      try {
        json = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      } catch {
        return send(400, { errors: [{ field: 'body', description: 'The body is not JSON.' }] });
      }
      if (req.method === 'POST' && url.pathname === '/apip/auth/v2/token') {
        if (
          json.client_id !== clientId ||
          json.client_secret !== clientSecret ||
          json.grant_type !== 'client_credentials'
        )
          return send(401, { error: 'invalid_client' });
        const token = crypto.randomBytes(24).toString('base64url');
        tokens.add(token);
        return send(200, { access_token: token, token_type: 'bearer', expires_in: '3600' });
      }
      if (!authorized) return send(401, { error: 'invalid_token' });
      if (
        req.method === 'POST' &&
        url.pathname === '/medicalnetwork/professionalclaims/v3/raw-x12-submission'
      ) {
        const x12 = typeof json.x12 === 'string' ? json.x12 : '';
        if (!x12.startsWith('ISA') || x12.length < 106)
          return send(400, {
            errors: [
              { field: 'x12', description: 'The x12 field must hold an X12 interchange starting with ISA.' },
            ],
          });
        const icn = x12.slice(0, 106).split(x12[3]!)[13]!;
        const digest = crypto.createHash('sha256').update(x12).digest('hex');
        const before = byIcn.get(icn);
        if (before && before !== digest)
          return send(400, {
            errors: [{ field: 'ISA13', description: 'Duplicate interchange control number.' }],
          });
        byIcn.set(icn, digest);
        submissions.push(x12);
        return send(200, { status: 'SUCCESS', controlNumber: icn });
      }
      const reportsPath = '/medicalnetwork/reports/v2';
      if (req.method === 'GET' && url.pathname === reportsPath)
        return send(200, { reportNames: [...reports.keys()] });
      if (url.pathname.startsWith(`${reportsPath}/`)) {
        const name = decodeURIComponent(url.pathname.slice(reportsPath.length + 1));
        const report = reports.get(name);
        if (!report) return send(404, { errors: [{ field: 'filename', description: 'Report not found.' }] });
        if (req.method === 'GET') return send(200, report, 'text/plain');
        if (req.method === 'DELETE') {
          reports.delete(name);
          return send(200, { status: 'SUCCESS' });
        }
      }
      return send(404, { errors: [{ field: 'path', description: 'No such endpoint.' }] });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    requests,
    submissions,
    deliver: (name, content) => void reports.set(name, Buffer.from(content)),
    mailbox: () => [...reports.keys()],
    expireTokens: () => tokens.clear(),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
