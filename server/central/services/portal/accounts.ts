import { AsyncLocalStorage } from 'node:async_hooks';
import { v7 as uuidv7 } from 'uuid';
import {
  portalScopes,
  type PortalAccount,
  type PortalActivity,
  type PortalInvite,
  type PortalScope,
} from '../../../contracts/portal';
import { AppError } from '../../../platform/errors';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../../platform/passwords';
import { checkTotp, newTotpSecret, totpUri } from '../../../platform/totp';
import type { PasskeyAssertion, PasskeyRegistration } from '../../../contracts/portal/signin';
import type { ColumnCipher } from '../../crypto';
import type { CentralDb, Tx } from '../../db/pool';
import type { StaffContext } from '../../http/register';
import type { PortalSettings } from './config';
import { invitationMail, type MailPort } from './mailer';
import { PasskeyCeremonies, type OpenedChallenge, type RelyingParty, type StoredPasskey } from './passkeys';
import { emailHash, newPortalToken, readPortalToken } from './tokens';

/**
 * Portal access at central: staff invite (a patient, or a proxy for a minor with a relationship and a
 * scope), the patient sets a password (argon2id) and an authenticator (TOTP) from a single-use link valid
 * 24 hours, then signs in with e-mail + password + code. Accounts lock after repeated failures; sessions end
 * after idle minutes and at a maximum age; staff revoke at once. Every act lands in portal_activity (the
 * patient's history and the clinic's portal audit log). Refusals never say which part was wrong.
 */

export const INVITATION_HOURS = 24;
const LOCK_AFTER_FAILURES = 5;
const LOCK_MINUTES = 15;
/** How often a session's last_seen_at is rewritten while it is in use. */
const SEEN_EVERY_MS = 30_000;

/** The signed-in portal caller: everything a handler may know about who is asking. */
export interface PortalCaller {
  clinicId: string;
  accountId: string;
  patientId: string;
  sessionId: string;
  kind: 'self' | 'proxy';
  proxyName: string | null;
  scope: PortalScope[];
  /** Whether the session has a second factor (false: started from an e-mailed link, not stepped up yet). */
  secondFactor: boolean;
}

/** How a session was started: password + code, password + passkey, or an e-mailed link (no second factor). */
export type SessionVia = 'totp' | 'passkey' | 'link';

/** The second factor a patient offers: an authenticator code or a passkey's answer. */
export type SecondFactor = { code: string } | { passkey: PasskeyAssertion; rp: RelyingParty };

/** A second factor that checked out, to be used up in the sign-in's transaction. */
type AcceptedFactor =
  | { kind: 'totp'; step: number }
  | { kind: 'passkey'; passkeyId: string; challenge: OpenedChallenge; newCounter: number };

interface AccountRecord {
  id: string;
  clinic_id: string;
  patient_id: string;
  kind: 'self' | 'proxy';
  proxy_name: string | null;
  relationship: PortalAccount['relationship'];
  scope: PortalScope[];
  email_enc: string;
  status: 'invited' | 'active' | 'revoked';
  password_hash_enc: string | null;
  totp_secret_enc: string | null;
  totp_last_step: number | null;
  failed_attempts: number;
  locked_until: Date | null;
  created_at: Date;
  activated_at: Date | null;
  last_sign_in_at: Date | null;
  revoked_at: Date | null;
}

const SIGN_IN_FAILED = () =>
  new AppError(
    401,
    'sign_in_failed',
    'The e-mail, password or code is not right, or there were too many attempts. Wait 15 minutes and try again, or call your clinic.',
  );
const LINK_UNUSABLE = () =>
  new AppError(
    410,
    'invitation_unusable',
    'This link has expired or was already used. Ask your clinic to send a new invitation.',
  );
export const NO_SESSION = () =>
  new AppError(401, 'no_session', 'Please sign in to continue. For your privacy, you were signed out.');

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface PortalDeps {
  db: CentralDb;
  cipher: ColumnCipher;
  settings: PortalSettings;
  mail: MailPort | null;
  now?: () => Date;
}

/** The transaction a request's session was resolved in, which the handler's own queries then join. */
const requestTx = new AsyncLocalStorage<{ clinicId: string; tx: Tx }>();

export class PortalAccounts {
  readonly #now: () => Date;
  readonly ceremonies: PasskeyCeremonies;
  constructor(readonly deps: PortalDeps) {
    this.#now = deps.now ?? (() => new Date());
    this.ceremonies = new PasskeyCeremonies(deps.cipher, this.#now);
  }

  now(): Date {
    return this.#now();
  }

  /** A transaction scoped to the clinic; inside `withSession` for that clinic, the request's own. */
  tx<T>(clinicId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const joined = requestTx.getStore();
    if (joined && joined.clinicId === clinicId) return fn(joined.tx);
    return this.deps.db.tx({ clinicId }, fn);
  }

  /**
   * Resolve the session and run the handler in one transaction (one connection checkout and one
   * BEGIN/COMMIT per request instead of two): the handler's `tx` calls for the session's clinic join it.
   * `onCaller` runs once the session is valid; when the handler fails, the whole transaction (also the
   * session's last-seen refresh) is rolled back, as a failed request changes nothing.
   */
  withSession<T>(token: string | null, onCaller: (caller: PortalCaller) => Promise<T>): Promise<T> {
    const t = token ? readPortalToken(token) : null;
    if (!t) return Promise.reject(NO_SESSION());
    return this.deps.db.tx({ clinicId: t.clinicId }, (tx) =>
      requestTx.run({ clinicId: t.clinicId, tx }, async () => onCaller(await this.resolve(token))),
    );
  }

  #place = (a: { clinic_id: string; id: string }, field: string) =>
    `portal_accounts/${a.clinic_id}/${a.id}/${field}`;

  async record(
    tx: Tx,
    a: { clinic_id: string; id: string; patient_id: string },
    action: string,
    outcome: 'ok' | 'refused' = 'ok',
    staffUserId: string | null = null,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO portal_activity (clinic_id, id, account_id, patient_id, action, outcome, staff_user_id, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [a.clinic_id, uuidv7(), a.id, a.patient_id, action, outcome, staffUserId, this.#now()],
    );
  }

  #toAccount(a: AccountRecord, invitationExpiresAt: Date | null): PortalAccount {
    return {
      id: a.id,
      patientId: a.patient_id,
      kind: a.kind,
      proxyName: a.proxy_name,
      relationship: a.relationship,
      scope: a.scope,
      email: this.deps.cipher.decrypt(a.email_enc, this.#place(a, 'email')),
      status: a.status,
      createdAt: a.created_at.toISOString(),
      activatedAt: iso(a.activated_at),
      lastSignInAt: iso(a.last_sign_in_at),
      revokedAt: iso(a.revoked_at),
      invitationExpiresAt: iso(invitationExpiresAt),
    };
  }

  async #pendingInvitation(tx: Tx, a: AccountRecord): Promise<Date | null> {
    const r = await tx.query<{ expires_at: Date }>(
      `SELECT expires_at FROM portal_invitations WHERE clinic_id = $1 AND account_id = $2 AND used_at IS NULL
         AND expires_at > $3 ORDER BY expires_at DESC LIMIT 1`,
      [a.clinic_id, a.id, this.#now()],
    );
    return r.rows[0]?.expires_at ?? null;
  }

  // ---------------------------------------------------------------- staff

  /** Invite (or invite again, while the account is not yet set up): e-mails a single-use link. */
  async invite(staff: StaffContext, input: PortalInvite, origin: string): Promise<PortalAccount> {
    const mail = this.deps.mail;
    if (!mail)
      throw new AppError(
        503,
        'email_not_configured',
        'E-mail is not set up on the central server, so invitations cannot be sent. Ask your administrator to configure SMTP (docs/portal.md).',
      );
    const clinicId = staff.clinicId;
    const now = this.#now();
    const { token, hash } = newPortalToken(clinicId);
    const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3_600_000);
    const { account, clinicName, invitationId } = await this.tx(clinicId, async (tx) => {
      const patient = await tx.query(
        `SELECT 1 FROM replica_rows WHERE clinic_id = $1 AND table_name = 'patients' AND row_id = $2
           AND coalesce(data->>'deletedAt', '') = ''`,
        [clinicId, input.patientId],
      );
      if (!patient.rows[0])
        throw new AppError(
          409,
          'patient_unknown',
          'This patient has not reached the central server yet. Wait a moment for this workstation to sync, then try again.',
        );
      const eh = emailHash(input.email);
      const live = await tx.query<AccountRecord>(
        `SELECT * FROM portal_accounts WHERE clinic_id = $1 AND email_hash = $2 AND status <> 'revoked' FOR UPDATE`,
        [clinicId, eh],
      );
      let a = live.rows[0];
      if (a && (a.patient_id !== input.patientId || a.status === 'active' || a.kind !== input.kind))
        throw new AppError(
          409,
          'email_in_use',
          a.status === 'active' && a.patient_id === input.patientId
            ? 'This e-mail address already has portal access for this patient.'
            : 'This e-mail address is already used by another portal account at this clinic. Use another address, or revoke that access first.',
          { email: 'This e-mail address is already in use in the portal.' },
        );
      if (a) {
        // Invited again: the earlier links stop working.
        await tx.query(
          `UPDATE portal_invitations SET used_at = $3 WHERE clinic_id = $1 AND account_id = $2 AND used_at IS NULL`,
          [clinicId, a.id, now],
        );
      } else {
        const id = uuidv7();
        const scope: PortalScope[] = input.kind === 'self' ? [...portalScopes] : input.scope;
        const r = await tx.query<AccountRecord>(
          `INSERT INTO portal_accounts (clinic_id, id, patient_id, kind, proxy_name, relationship, scope,
             email_enc, email_hash, status, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'invited', $10, $11) RETURNING *`,
          [
            clinicId,
            id,
            input.patientId,
            input.kind,
            input.kind === 'proxy' ? input.proxyName : null,
            input.kind === 'proxy' ? input.relationship : null,
            scope,
            this.deps.cipher.encrypt(input.email.trim(), `portal_accounts/${clinicId}/${id}/email`),
            eh,
            staff.userId,
            now,
          ],
        );
        a = r.rows[0]!;
      }
      const invitationId = uuidv7();
      await tx.query(
        `INSERT INTO portal_invitations (clinic_id, id, account_id, token_hash, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [clinicId, invitationId, a.id, hash, expiresAt, now],
      );
      await this.record(tx, a, 'invitation.sent', 'ok', staff.userId);
      const clinic = await tx.query<{ name: string }>('SELECT name FROM clinics WHERE id = $1', [clinicId]);
      return { account: a, clinicName: clinic.rows[0]?.name ?? 'Your clinic', invitationId };
    });
    const base = this.deps.settings.publicUrl ?? origin;
    // The token travels in the fragment: it never reaches a server log or a Referer.
    const link = `${base}/portal/setup#t=${token}`;
    try {
      await mail.send(invitationMail(input.email.trim(), clinicName, link));
    } catch {
      await this.tx(clinicId, (tx) =>
        tx.query(`UPDATE portal_invitations SET used_at = $3 WHERE clinic_id = $1 AND id = $2`, [
          clinicId,
          invitationId,
          now,
        ]),
      );
      throw new AppError(
        502,
        'email_failed',
        'The invitation e-mail could not be sent (the mail server refused or did not answer). Nothing else changed; try again later.',
      );
    }
    return this.#toAccount(account, expiresAt);
  }

  async access(
    staff: StaffContext,
    patientId: string,
  ): Promise<{ accounts: PortalAccount[]; activity: PortalActivity[] }> {
    return this.tx(staff.clinicId, async (tx) => {
      const rows = await tx.query<AccountRecord>(
        `SELECT * FROM portal_accounts WHERE clinic_id = $1 AND patient_id = $2 ORDER BY created_at DESC`,
        [staff.clinicId, patientId],
      );
      const accounts: PortalAccount[] = [];
      for (const a of rows.rows) accounts.push(this.#toAccount(a, await this.#pendingInvitation(tx, a)));
      const act = await tx.query<{
        id: string;
        account_id: string;
        action: string;
        outcome: 'ok' | 'refused';
        staff_user_id: string | null;
        at: Date;
      }>(
        `SELECT id, account_id, action, outcome, staff_user_id, at FROM portal_activity
          WHERE clinic_id = $1 AND patient_id = $2 ORDER BY at DESC, id DESC LIMIT 200`,
        [staff.clinicId, patientId],
      );
      return {
        accounts,
        activity: act.rows.map((r) => ({
          id: r.id,
          accountId: r.account_id,
          action: r.action,
          outcome: r.outcome,
          byStaff: r.staff_user_id !== null,
          at: r.at.toISOString(),
        })),
      };
    });
  }

  /** Revoke at once: the account's sessions end and its pending links stop working, in one transaction. */
  async revoke(staff: StaffContext, accountId: string): Promise<PortalAccount> {
    const now = this.#now();
    return this.tx(staff.clinicId, async (tx) => {
      const r = await tx.query<AccountRecord>(
        `UPDATE portal_accounts SET status = 'revoked', revoked_at = coalesce(revoked_at, $3), revoked_by = coalesce(revoked_by, $4)
          WHERE clinic_id = $1 AND id = $2 RETURNING *`,
        [staff.clinicId, accountId, now, staff.userId],
      );
      const a = r.rows[0];
      if (!a) throw new AppError(404, 'not_found', 'That portal account was not found.');
      await tx.query(
        `UPDATE portal_sessions SET ended_at = $3 WHERE clinic_id = $1 AND account_id = $2 AND ended_at IS NULL`,
        [staff.clinicId, accountId, now],
      );
      await tx.query(
        `UPDATE portal_invitations SET used_at = $3 WHERE clinic_id = $1 AND account_id = $2 AND used_at IS NULL`,
        [staff.clinicId, accountId, now],
      );
      await this.record(tx, a, 'access.revoked', 'ok', staff.userId);
      return this.#toAccount(a, null);
    });
  }

  // ---------------------------------------------------------------- the patient: setting up

  async #invitation(
    tx: Tx,
    clinicId: string,
    hash: string,
  ): Promise<{ account: AccountRecord; invitationId: string }> {
    const r = await tx.query<AccountRecord & { invitation_id: string }>(
      `SELECT a.*, i.id AS invitation_id FROM portal_invitations i
         JOIN portal_accounts a ON a.clinic_id = i.clinic_id AND a.id = i.account_id
        WHERE i.clinic_id = $1 AND i.token_hash = $2 AND i.used_at IS NULL AND i.expires_at > $3
          AND a.status = 'invited'
        FOR UPDATE OF i, a`,
      [clinicId, hash, this.#now()],
    );
    const row = r.rows[0];
    if (!row) throw LINK_UNUSABLE();
    const { invitation_id, ...account } = row;
    return { account, invitationId: invitation_id };
  }

  /** Opening the link: the clinic's name and a fresh authenticator secret (kept until set-up completes). */
  async setupBegin(
    token: string,
  ): Promise<{ clinicName: string; kind: 'self' | 'proxy'; totpSecret: string; totpUri: string }> {
    const t = readPortalToken(token);
    if (!t) throw LINK_UNUSABLE();
    return this.tx(t.clinicId, async (tx) => {
      const { account } = await this.#invitation(tx, t.clinicId, t.hash);
      const secret = newTotpSecret();
      await tx.query(`UPDATE portal_accounts SET totp_secret_enc = $3 WHERE clinic_id = $1 AND id = $2`, [
        t.clinicId,
        account.id,
        this.deps.cipher.encrypt(secret, this.#place(account, 'totp')),
      ]);
      const clinic = await tx.query<{ name: string }>('SELECT name FROM clinics WHERE id = $1', [t.clinicId]);
      const clinicName = clinic.rows[0]?.name ?? 'Your clinic';
      await this.record(tx, account, 'invitation.opened');
      return {
        clinicName,
        kind: account.kind,
        totpSecret: secret,
        totpUri: totpUri(secret, clinicName, 'Patient portal'),
      };
    });
  }

  /** WebAuthn options to add a passkey during set-up (instead of the authenticator app). */
  async setupPasskeyOptions(token: string, rp: RelyingParty) {
    const t = readPortalToken(token);
    if (!t) throw LINK_UNUSABLE();
    const { account } = await this.tx(t.clinicId, (tx) => this.#invitation(tx, t.clinicId, t.hash));
    return this.ceremonies.registrationOptions(rp, { id: account.id, label: rp.name }, []);
  }

  /**
   * Password + the second factor (the authenticator's first code, or a new passkey): the invitation is used
   * up, the account is active and signed in. With a passkey the authenticator secret offered at opening is
   * dropped, so a code can never sign in to an account whose owner never confirmed one.
   */
  async setupComplete(
    token: string,
    password: string,
    factor: { code: string } | { passkey: PasskeyRegistration; rp: RelyingParty },
  ): Promise<{ token: string; expiresAt: Date }> {
    const t = readPortalToken(token);
    if (!t) throw LINK_UNUSABLE();
    const hash = await hashPassword(password);
    const now = this.#now();
    return this.tx(t.clinicId, async (tx) => {
      const { account, invitationId } = await this.#invitation(tx, t.clinicId, t.hash);
      let step: number | null = null;
      if ('code' in factor) {
        if (!account.totp_secret_enc) throw LINK_UNUSABLE();
        const secret = this.deps.cipher.decrypt(account.totp_secret_enc, this.#place(account, 'totp'));
        step = checkTotp(secret, factor.code, now.getTime());
        if (step === null)
          throw new AppError(
            400,
            'invalid_input',
            'That code is not right. Enter the code your authenticator app shows now.',
            {
              code: 'That code is not right. Enter the code your authenticator app shows now.',
            },
          );
      } else {
        const reg = await this.ceremonies.verifyRegistration(factor.rp, account.id, factor.passkey);
        if (!(await this.ceremonies.consume(tx, t.clinicId, reg.challenge)))
          throw new AppError(400, 'passkey_refused', 'This passkey answer was already used. Try again.');
        await this.insertPasskey(tx, account, reg, '');
      }
      await tx.query(`UPDATE portal_invitations SET used_at = $3 WHERE clinic_id = $1 AND id = $2`, [
        t.clinicId,
        invitationId,
        now,
      ]);
      await tx.query(
        `UPDATE portal_accounts SET status = 'active', activated_at = $3, password_hash_enc = $4, totp_last_step = $5,
            last_sign_in_at = $3, failed_attempts = 0,
            totp_secret_enc = CASE WHEN $6 THEN totp_secret_enc ELSE NULL END
          WHERE clinic_id = $1 AND id = $2`,
        [
          t.clinicId,
          account.id,
          now,
          this.deps.cipher.encrypt(hash, this.#place(account, 'password')),
          step,
          'code' in factor,
        ],
      );
      await this.record(tx, account, 'account.set_up');
      return this.startSession(tx, account, 'code' in factor ? 'totp' : 'passkey');
    });
  }

  /** Stores a verified new passkey for the account (duplicate credential ids answer 409). */
  async insertPasskey(
    tx: Tx,
    a: { clinic_id: string; id: string; patient_id: string },
    reg: { credentialId: string; publicKey: Buffer; counter: number; transports: string[] },
    name: string,
  ): Promise<{ id: string; name: string; created_at: Date }> {
    const now = this.#now();
    const r = await tx.query<{ id: string; name: string; created_at: Date }>(
      `INSERT INTO portal_passkeys (clinic_id, id, account_id, credential_id, public_key, counter, transports, name, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id, name, created_at`,
      [
        a.clinic_id,
        uuidv7(),
        a.id,
        reg.credentialId,
        reg.publicKey,
        reg.counter,
        reg.transports,
        // Unnamed ('') passkeys are called "Passkey" in the patient's language by the page.
        name,
        now,
      ],
    );
    if (!r.rows[0])
      throw new AppError(409, 'passkey_exists', 'This passkey is already registered. Use it to sign in.');
    await this.record(tx, a, 'passkey.added');
    return r.rows[0];
  }

  // ---------------------------------------------------------------- the patient: signing in and sessions

  /** A new session; one from an e-mailed link has no second factor until the patient steps up. */
  async startSession(
    tx: Tx,
    a: { clinic_id: string; id: string; patient_id: string },
    via: SessionVia,
  ): Promise<{ token: string; expiresAt: Date }> {
    const now = this.#now();
    const { token, hash } = newPortalToken(a.clinic_id);
    const expiresAt = new Date(now.getTime() + this.deps.settings.maxSessionHours * 3_600_000);
    await tx.query(
      `INSERT INTO portal_sessions (clinic_id, id, account_id, token_hash, created_at, last_seen_at, expires_at,
         via, second_factor_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)`,
      [a.clinic_id, uuidv7(), a.id, hash, now, expiresAt, via, via === 'link' ? null : now],
    );
    await this.record(tx, a, via === 'totp' ? 'sign_in' : `sign_in.${via}`);
    return { token, expiresAt };
  }

  /** Password + authenticator code. */
  signIn(email: string, password: string, code: string): Promise<{ token: string; expiresAt: Date }> {
    return this.#signIn(email, password, { code });
  }

  /** Password + passkey. */
  signInWithPasskey(
    email: string,
    password: string,
    passkey: PasskeyAssertion,
    rp: RelyingParty,
  ): Promise<{ token: string; expiresAt: Date }> {
    return this.#signIn(email, password, { passkey, rp });
  }

  /** The clinics and accounts holding a live account for this e-mail (the one lookup across tenants). */
  async accountsForEmail(email: string): Promise<{ clinic_id: string; account_id: string }[]> {
    const r = await this.deps.db.pool.query<{ clinic_id: string; account_id: string }>(
      'SELECT clinic_id, account_id FROM tessera.portal_accounts_for_sign_in($1)',
      [emailHash(email)],
    );
    return r.rows;
  }

  async #signIn(
    email: string,
    password: string,
    factor: SecondFactor,
  ): Promise<{ token: string; expiresAt: Date }> {
    const candidates = await this.accountsForEmail(email);
    if (!candidates.length) {
      await burnPasswordCheck(password);
      throw SIGN_IN_FAILED();
    }
    for (const c of candidates) {
      const out = await this.#trySignIn(c.clinic_id, c.account_id, password, factor);
      if (out) return out;
    }
    throw SIGN_IN_FAILED();
  }

  /**
   * Checks the second factor of account `a` outside a transaction (the slow part) and returns what to
   * commit under the row's lock: the code's step to use up, or the passkey's challenge and new counter.
   */
  async #checkFactor(a: AccountRecord, factor: SecondFactor): Promise<AcceptedFactor | null> {
    const now = this.#now();
    if ('code' in factor) {
      if (!a.totp_secret_enc) return null;
      const secret = this.deps.cipher.decrypt(a.totp_secret_enc, this.#place(a, 'totp'));
      const step = checkTotp(secret, factor.code, now.getTime());
      const ok = step !== null && (a.totp_last_step === null || step > a.totp_last_step);
      return ok ? { kind: 'totp', step } : null;
    }
    const stored = await this.tx(a.clinic_id, (tx) =>
      tx.query<StoredPasskey>(
        `SELECT id, account_id, credential_id, public_key, counter, transports FROM portal_passkeys
          WHERE clinic_id = $1 AND account_id = $2 AND credential_id = $3`,
        [a.clinic_id, a.id, factor.passkey.id],
      ),
    );
    const pk = stored.rows[0];
    if (!pk) return null;
    const v = await this.ceremonies.verifyAssertion(factor.rp, pk, factor.passkey);
    return v ? { kind: 'passkey', passkeyId: pk.id, ...v } : null;
  }

  /** Uses up what #checkFactor accepted, under the transaction; false when it was used meanwhile. */
  async #commitFactor(tx: Tx, a: { clinic_id: string; id: string }, ok: AcceptedFactor): Promise<boolean> {
    const now = this.#now();
    if (ok.kind === 'totp') {
      // The code's time step is used up (no replay), under the row's lock.
      const used = await tx.query(
        `UPDATE portal_accounts SET totp_last_step = $3
          WHERE clinic_id = $1 AND id = $2 AND (totp_last_step IS NULL OR totp_last_step < $3)`,
        [a.clinic_id, a.id, ok.step],
      );
      return used.rowCount === 1;
    }
    if (!(await this.ceremonies.consume(tx, a.clinic_id, ok.challenge))) return false;
    await tx.query(
      `UPDATE portal_passkeys SET counter = $3, last_used_at = $4 WHERE clinic_id = $1 AND id = $2`,
      [a.clinic_id, ok.passkeyId, ok.newCounter, now],
    );
    return true;
  }

  async #trySignIn(clinicId: string, accountId: string, password: string, factor: SecondFactor) {
    const now = this.#now();
    const found = await this.tx(clinicId, (tx) =>
      tx.query<AccountRecord>(`SELECT * FROM portal_accounts WHERE clinic_id = $1 AND id = $2`, [
        clinicId,
        accountId,
      ]),
    );
    const a = found.rows[0];
    if (!a || a.status !== 'active' || !a.password_hash_enc) return null;
    const locked = a.locked_until !== null && a.locked_until > now;
    const passwordOk = await verifyPassword(
      this.deps.cipher.decrypt(a.password_hash_enc, this.#place(a, 'password')),
      password,
    );
    const factorOk = await this.#checkFactor(a, factor);
    return this.tx(clinicId, async (tx) => {
      if (locked || !passwordOk || !factorOk) {
        // Count the failure; the fifth in a row locks the account for LOCK_MINUTES.
        if (!locked) {
          await tx.query(
            `UPDATE portal_accounts SET
                failed_attempts = CASE WHEN failed_attempts + 1 >= $3 THEN 0 ELSE failed_attempts + 1 END,
                locked_until = CASE WHEN failed_attempts + 1 >= $3 THEN $4::timestamptz ELSE locked_until END
              WHERE clinic_id = $1 AND id = $2`,
            [clinicId, a.id, LOCK_AFTER_FAILURES, new Date(now.getTime() + LOCK_MINUTES * 60_000)],
          );
        }
        await this.record(tx, a, locked ? 'sign_in.locked' : 'sign_in', 'refused');
        return null;
      }
      const active = await tx.query(
        `UPDATE portal_accounts SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = $3
          WHERE clinic_id = $1 AND id = $2 AND status = 'active'`,
        [clinicId, a.id, now],
      );
      if (active.rowCount !== 1 || !(await this.#commitFactor(tx, a, factorOk))) return null;
      return this.startSession(tx, a, 'code' in factor ? 'totp' : 'passkey');
    });
  }

  /**
   * Step-up: a session without a second factor (from an e-mailed link) confirms one, a code or a passkey
   * of the session's own account. Failures count towards the lockout like sign-in failures do.
   */
  async stepUp(caller: PortalCaller, factor: SecondFactor): Promise<void> {
    const now = this.#now();
    const found = await this.tx(caller.clinicId, (tx) =>
      tx.query<AccountRecord>(`SELECT * FROM portal_accounts WHERE clinic_id = $1 AND id = $2`, [
        caller.clinicId,
        caller.accountId,
      ]),
    );
    const a = found.rows[0];
    if (!a || a.status !== 'active') throw NO_SESSION();
    const locked = a.locked_until !== null && a.locked_until > now;
    const ok = locked ? null : await this.#checkFactor(a, factor);
    const done = await this.tx(caller.clinicId, async (tx) => {
      if (ok && (await this.#commitFactor(tx, a, ok))) {
        await tx.query(`UPDATE portal_sessions SET second_factor_at = $3 WHERE clinic_id = $1 AND id = $2`, [
          caller.clinicId,
          caller.sessionId,
          now,
        ]);
        await tx.query(`UPDATE portal_accounts SET failed_attempts = 0 WHERE clinic_id = $1 AND id = $2`, [
          caller.clinicId,
          a.id,
        ]);
        await this.record(tx, a, 'step_up');
        return true;
      }
      if (!locked)
        await tx.query(
          `UPDATE portal_accounts SET
              failed_attempts = CASE WHEN failed_attempts + 1 >= $3 THEN 0 ELSE failed_attempts + 1 END,
              locked_until = CASE WHEN failed_attempts + 1 >= $3 THEN $4::timestamptz ELSE locked_until END
            WHERE clinic_id = $1 AND id = $2`,
          [caller.clinicId, a.id, LOCK_AFTER_FAILURES, new Date(now.getTime() + LOCK_MINUTES * 60_000)],
        );
      await this.record(tx, a, 'step_up', 'refused');
      return false;
    });
    if (!done)
      throw new AppError(
        401,
        'step_up_failed',
        'That code or passkey is not right, or there were too many attempts. Try again, or wait 15 minutes.',
      );
  }

  /** The caller of a session cookie: active account, session neither ended, idle too long nor too old. */
  async resolve(token: string | null): Promise<PortalCaller> {
    const t = token ? readPortalToken(token) : null;
    if (!t) throw NO_SESSION();
    const now = this.#now();
    const idleSince = new Date(now.getTime() - this.deps.settings.idleMinutes * 60_000);
    return this.tx(t.clinicId, async (tx) => {
      const r = await tx.query<
        AccountRecord & { session_id: string; second_factor_at: Date | null; last_seen_at: Date }
      >(
        `SELECT a.*, s.id AS session_id, s.second_factor_at, s.last_seen_at
           FROM portal_sessions s JOIN portal_accounts a ON a.clinic_id = s.clinic_id AND a.id = s.account_id
          WHERE s.clinic_id = $1 AND s.token_hash = $2 AND s.ended_at IS NULL AND s.expires_at > $3
            AND s.last_seen_at > $4 AND a.status = 'active'`,
        [t.clinicId, t.hash, now, idleSince],
      );
      // Every request keeps the session alive, but the row is rewritten at most every SEEN_EVERY_MS: a
      // patient browsing makes reads, not a write per call (the idle time-out is kept to that precision).
      const seen = r.rows[0];
      if (seen && now.getTime() - seen.last_seen_at.getTime() >= SEEN_EVERY_MS)
        await tx.query(`UPDATE portal_sessions SET last_seen_at = $3 WHERE clinic_id = $1 AND id = $2`, [
          t.clinicId,
          seen.session_id,
          now,
        ]);
      const a = r.rows[0];
      if (!a) throw NO_SESSION();
      return {
        clinicId: t.clinicId,
        accountId: a.id,
        patientId: a.patient_id,
        sessionId: a.session_id,
        kind: a.kind,
        proxyName: a.proxy_name,
        scope: a.scope,
        secondFactor: a.second_factor_at !== null,
      };
    });
  }

  async signOut(caller: PortalCaller): Promise<void> {
    await this.tx(caller.clinicId, async (tx) => {
      await tx.query(`UPDATE portal_sessions SET ended_at = $3 WHERE clinic_id = $1 AND id = $2`, [
        caller.clinicId,
        caller.sessionId,
        this.#now(),
      ]);
      await this.record(tx, callerRow(caller), 'sign_out');
    });
  }
}

/** The account as `record` names it. */
export const callerRow = (c: PortalCaller) => ({
  clinic_id: c.clinicId,
  id: c.accountId,
  patient_id: c.patientId,
});
