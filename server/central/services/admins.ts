import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { passwordProblem } from '../../domain/auth/password-policy';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../platform/passwords';
import { newToken, sha256 } from '../../platform/secrets';
import { checkTotp, newTotpSecret, totpUri } from '../../platform/totp';
import type { ColumnCipher } from '../crypto';
import type { CentralDb } from '../db/pool';
import { AppError } from '../../platform/errors';

/**
 * Central administrators: password (argon2id) plus TOTP, throttling of repeated failures, sessions as
 * random bearer tokens of which only the SHA-256 is stored. Password hashes and TOTP secrets are
 * encrypted at rest with the central secret. An administrator bound to an organization manages that
 * organization's clinics only; one without an organization (an operator) manages all.
 */

const SESSION_HOURS = 12;
/**
 * Every refusal is this one answer (status, code, text), whether the username exists or not, the account is
 * disabled, or the attempt is throttled: nothing tells an outsider which administrator usernames exist.
 */
const SIGN_IN_FAILED = new AppError(
  401,
  'sign_in_failed',
  'The username, password or code is not right, or there were too many attempts. Wait a few minutes and try again.',
);

export interface AdminIdentity {
  adminId: string;
  orgId: string | null;
  username: string;
}

const TOTP_ISSUER = 'Tessera central';

/**
 * Failed sign-ins per username *and client address*: after `threshold` failures that pair is refused for
 * `minutes` (with the same answer as any failure). Keyed by the pair, so an outsider who knows an
 * administrator's username cannot lock the administrator out from elsewhere; a guesser is slowed at its
 * own address (and the per-address sign-in rate limit caps it further). Unknown usernames count the same.
 * Per API node, like the rate limits; with TOTP a guess needs the password and the current code at once.
 */
export class SignInThrottle {
  readonly #failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly threshold = 5,
    private readonly minutes = 15,
    private readonly now = () => Date.now(),
  ) {}

  static key(username: string, address: string): string {
    return `${sha256(username.normalize('NFC').toLowerCase())}|${address}`;
  }

  blocked(key: string): boolean {
    const f = this.#failures.get(key);
    return Boolean(f && f.count >= this.threshold && f.until > this.now());
  }

  failed(key: string): void {
    const now = this.now();
    const f = this.#failures.get(key);
    const fresh = !f || f.until <= now;
    if (this.#failures.size > 100_000) this.#sweep(now);
    this.#failures.set(key, {
      count: fresh ? 1 : f.count + 1,
      until: now + this.minutes * 60_000,
    });
  }

  succeeded(key: string): void {
    this.#failures.delete(key);
  }

  #sweep(now: number): void {
    for (const [k, v] of this.#failures) if (v.until <= now) this.#failures.delete(k);
    if (this.#failures.size > 100_000) this.#failures.clear();
  }
}

export async function signInAdmin(
  db: CentralDb,
  cipher: ColumnCipher,
  input: { username: string; password: string; code: string },
  attempt: { address: string; throttle: SignInThrottle; onRefused?: () => void },
  now = new Date(),
): Promise<{
  token: string;
  expiresAt: string;
  admin: { id: string; username: string; orgId: string | null };
}> {
  const key = SignInThrottle.key(input.username, attempt.address);
  const refuse = () => {
    attempt.throttle.failed(key);
    attempt.onRefused?.();
    return SIGN_IN_FAILED;
  };
  if (attempt.throttle.blocked(key)) {
    await burnPasswordCheck(input.password);
    attempt.onRefused?.();
    throw SIGN_IN_FAILED;
  }
  const found = await db.pool.query<{ admin_id: string }>('SELECT * FROM tessera.admin_for_sign_in($1)', [
    input.username,
  ]);
  const adminId = found.rows[0]?.admin_id;
  if (!adminId) {
    // The same work as for a real account, so timing does not tell which usernames exist.
    await burnPasswordCheck(input.password);
    throw refuse();
  }
  const result = await db.tx({ adminId }, async (tx) => {
    const r = await tx.query<{
      id: string;
      org_id: string | null;
      username: string;
      password_hash: string;
      totp_secret: string;
      totp_last_counter: number | null;
      failed_attempts: number;
      disabled_at: Date | null;
    }>('SELECT * FROM admins WHERE id = $1 FOR UPDATE', [adminId]);
    const a = r.rows[0]!;
    const hash = cipher.decrypt(a.password_hash, `admin/${a.id}/password_hash`);
    const secret = cipher.decrypt(a.totp_secret, `admin/${a.id}/totp_secret`);
    // Checked even for a disabled account: the answer and its timing are those of any failure.
    const passwordOk = await verifyPassword(hash, input.password);
    const counter = checkTotp(secret, input.code, now.getTime());
    const codeOk = counter !== null && (a.totp_last_counter === null || counter > a.totp_last_counter);
    if (a.disabled_at || !passwordOk || !codeOk) {
      // Counted for the record (shown to operators), never a lock on the account: see SignInThrottle.
      await tx.query('UPDATE admins SET failed_attempts = failed_attempts + 1 WHERE id = $1', [a.id]);
      return null;
    }
    await tx.query(
      'UPDATE admins SET failed_attempts = 0, locked_until = NULL, totp_last_counter = $2 WHERE id = $1',
      [a.id, counter],
    );
    const token = newToken();
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
    await tx.query('INSERT INTO admin_sessions (token_hash, admin_id, expires_at) VALUES ($1, $2, $3)', [
      sha256(token),
      a.id,
      expiresAt,
    ]);
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      admin: { id: a.id, username: a.username, orgId: a.org_id },
    };
  });
  if (!result) throw refuse();
  attempt.throttle.succeeded(key);
  return result;
}

export async function resolveAdminSession(db: CentralDb, token: string): Promise<AdminIdentity | null> {
  const r = await db.pool.query<{ admin_id: string; org_id: string | null; username: string }>(
    'SELECT * FROM tessera.admin_by_session($1)',
    [sha256(token)],
  );
  const row = r.rows[0];
  return row ? { adminId: row.admin_id, orgId: row.org_id, username: row.username } : null;
}

export async function signOutAdmin(db: CentralDb, admin: AdminIdentity, token: string): Promise<void> {
  await db.tx({ adminId: admin.adminId }, (tx) =>
    tx.query('UPDATE admin_sessions SET ended_at = now() WHERE token_hash = $1', [sha256(token)]),
  );
}

/**
 * `tessera-central admin add`: runs with the owner's connection (administrators are not created through
 * the API). Returns the TOTP secret and its otpauth URI for the administrator's authenticator app.
 */
export async function addAdmin(
  ownerUrl: string,
  cipher: ColumnCipher,
  input: { username: string; password: string; orgId: string | null },
): Promise<{ id: string; totpSecret: string; otpauthUri: string }> {
  const problem = passwordProblem(input.password, { username: input.username });
  if (problem) throw new AppError(400, 'weak_password', problem);
  const id = uuidv7();
  const secret = newTotpSecret();
  const hash = await hashPassword(input.password);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(
      'INSERT INTO tessera.admins (id, org_id, username, password_hash, totp_secret) VALUES ($1, $2, $3, $4, $5)',
      [
        id,
        input.orgId,
        input.username,
        cipher.encrypt(hash, `admin/${id}/password_hash`),
        cipher.encrypt(secret, `admin/${id}/totp_secret`),
      ],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new AppError(409, 'taken', 'That username is taken.');
    if ((err as { code?: string }).code === '23503')
      throw new AppError(404, 'not_found', 'That organization was not found.');
    throw err;
  } finally {
    await client.end();
  }
  return { id, totpSecret: secret, otpauthUri: totpUri(secret, TOTP_ISSUER, input.username) };
}
