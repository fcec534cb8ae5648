import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SmtpSettings } from '../../server/central/services/portal/config';

/**
 * A real SMTP server on loopback for tests (the `smtp-server` package): it accepts every message (with
 * AUTH PLAIN/LOGIN when credentials are given) and keeps what arrived, so a test reads the e-mail a
 * patient would receive and follows its link. No TLS (loopback), so central is set to allow plain SMTP.
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  /** The text/plain part, quoted-printable decoded. */
  text: string;
}

export class TestSmtp {
  readonly messages: ReceivedMail[] = [];
  #server: SMTPServer | null = null;
  port = 0;
  /** Set to make the server refuse the next messages (a failing relay). */
  refuse = false;

  constructor(
    readonly auth: { user: string; pass: string } | null = { user: 'portal', pass: 'smtp-test-pass' },
  ) {}

  async start(): Promise<this> {
    const auth = this.auth;
    this.#server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS', ...(auth ? [] : ['AUTH'])],
      authOptional: !auth,
      allowInsecureAuth: true,
      logger: false,
      onAuth(a, _session, cb) {
        if (auth && a.username === auth.user && a.password === auth.pass)
          return cb(null, { user: a.username });
        return cb(new Error('Invalid username or password'));
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.refuse) return cb(new Error('Mailbox unavailable'));
          const raw = Buffer.concat(chunks).toString('utf8');
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            subject: decodeHeader(header(raw, 'subject')),
            text: textPart(raw),
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.#server.server.address() as AddressInfo).port;
    return this;
  }

  settings(from = 'Riverside Family Practice <no-reply@clinic.test>'): SmtpSettings {
    return {
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      requireTls: false,
      user: this.auth?.user ?? null,
      password: this.auth?.pass ?? null,
      from,
      ca: null,
    };
  }

  /** The newest message to `to`, waiting up to `ms` for it. */
  async waitFor(to: string, ms = 10_000): Promise<ReceivedMail> {
    const until = Date.now() + ms;
    for (;;) {
      const m = [...this.messages].reverse().find((x) => x.to.includes(to));
      if (m) return m;
      if (Date.now() > until) throw new Error(`no e-mail to ${to} arrived`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

/** The first http(s) link of the message's text part. */
export const linkIn = (mail: ReceivedMail): string => {
  const m = /https?:\/\/\S+/.exec(mail.text);
  if (!m) throw new Error('no link in the e-mail');
  return m[0];
};

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=). */
function decodeHeader(v: string): string {
  return v
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _cs: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : qp(text.replace(/_/g, ' ')),
    );
}

function qp(s: string): string {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The text/plain part of a (possibly multipart) message, decoded. */
function textPart(raw: string): string {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  for (const p of parts) {
    const [head = '', ...rest] = p.split(/\r?\n\r?\n/);
    if (!/content-type:\s*text\/plain/i.test(head)) continue;
    const body = rest.join('\n\n').replace(/\r?\n--[^\r\n]*--\s*$/, '');
    if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) return qp(body);
    if (/content-transfer-encoding:\s*base64/i.test(head))
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    return body;
  }
  return '';
}
