import { v7 as uuidv7 } from 'uuid';
import type { PasskeyRegistration, PortalPasskey } from '../../../contracts/portal/signin';
import { AppError } from '../../../platform/errors';
import type { Logger } from '../../../platform/logging';
import { callerRow, NO_SESSION, type PortalAccounts, type PortalCaller } from './accounts';
import { signInLinkMail } from './mailer';
import type { RelyingParty } from './passkeys';
import { newPortalToken, readPortalToken } from './tokens';

/**
 * Sign-in beyond password + code: e-mailed single-use links, and the account's passkeys (list, add,
 * remove). A link signs in without the second factor, for convenience; the session it starts must step up
 * (code or passkey) before the entries marked `stepUp` in the catalogue (contracts/portal/endpoints.ts).
 */

/** How long an e-mailed sign-in link works. */
export const SIGN_IN_LINK_MINUTES = 15;
/** At most this many links per account in SIGN_IN_LINK_MINUTES (a mailbox is not a place to flood). */
const LINKS_PER_WINDOW = 3;

const LINK_UNUSABLE = () =>
  new AppError(
    410,
    'sign_in_link_unusable',
    'This sign-in link has expired or was already used. Ask for a new one, or sign in with your password.',
  );

export class PortalSignIn {
  constructor(
    readonly accounts: PortalAccounts,
    readonly log: Pick<Logger, 'warn'> | null = null,
  ) {}

  #now = () => this.accounts.now();

  /**
   * Asks for a sign-in link. The answer is the same whether or not the address has an account, and the
   * e-mail is sent after answering, so neither the words nor the timing tell an outsider anything.
   * Without TESSERA_PORTAL_PUBLIC_URL central refuses: the link's address must not come from the request's
   * Host header, which anyone can set (a link to another site would hand it the token).
   */
  async requestLink(email: string): Promise<{ accepted: true; minutes: number }> {
    const { mail, settings } = this.accounts.deps;
    if (!mail || !settings.publicUrl)
      throw new AppError(
        503,
        'sign_in_link_not_configured',
        'Sign-in links by e-mail are not available at this clinic. Sign in with your password and code.',
      );
    const candidates = await this.accounts.accountsForEmail(email);
    const now = this.#now();
    const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000);
    const toSend: { clinicName: string; link: string; clinicId: string; accountId: string }[] = [];
    for (const c of candidates) {
      const out = await this.accounts.tx(c.clinic_id, async (tx) => {
        const a = await tx.query<{ id: string; patient_id: string; clinic_id: string; locked: boolean }>(
          `SELECT id, patient_id, clinic_id, coalesce(locked_until > $3, false) AS locked FROM portal_accounts
            WHERE clinic_id = $1 AND id = $2 AND status = 'active' FOR UPDATE`,
          [c.clinic_id, c.account_id, now],
        );
        const acct = a.rows[0];
        if (!acct || acct.locked) return null;
        const recent = await tx.query<{ n: string }>(
          `SELECT count(*) AS n FROM portal_sign_in_links WHERE clinic_id = $1 AND account_id = $2 AND created_at > $3`,
          [c.clinic_id, acct.id, new Date(now.getTime() - SIGN_IN_LINK_MINUTES * 60_000)],
        );
        if (Number(recent.rows[0]!.n) >= LINKS_PER_WINDOW) {
          await this.accounts.record(tx, acct, 'sign_in_link.sent', 'refused');
          return null;
        }
        const { token, hash } = newPortalToken(c.clinic_id);
        await tx.query(
          `INSERT INTO portal_sign_in_links (clinic_id, id, account_id, token_hash, expires_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [c.clinic_id, uuidv7(), acct.id, hash, expiresAt, now],
        );
        await this.accounts.record(tx, acct, 'sign_in_link.sent');
        const clinic = await tx.query<{ name: string }>('SELECT name FROM clinics WHERE id = $1', [
          c.clinic_id,
        ]);
        // In the fragment, like the invitation: never in a server log or a Referer.
        return {
          clinicName: clinic.rows[0]?.name ?? 'Your clinic',
          link: `${settings.publicUrl}/portal/link#t=${token}`,
          clinicId: c.clinic_id,
          accountId: acct.id,
        };
      });
      if (out) toSend.push(out);
    }
    for (const m of toSend)
      void mail.send(signInLinkMail(email.trim(), m.clinicName, m.link, SIGN_IN_LINK_MINUTES)).catch(() => {
        // No patient data: the clinic and account ids only, so the clinic can look into its relay.
        this.log?.warn({ clinicId: m.clinicId, accountId: m.accountId }, 'portal sign-in link e-mail failed');
      });
    return { accepted: true, minutes: SIGN_IN_LINK_MINUTES };
  }

  /** Opens a link: used up at once (with any other unused link of the account); a session without second factor. */
  async signInWithLink(token: string): Promise<{ token: string; expiresAt: Date }> {
    const t = readPortalToken(token);
    if (!t) throw LINK_UNUSABLE();
    const now = this.#now();
    return this.accounts
      .tx(t.clinicId, async (tx) => {
        const r = await tx.query<{
          link_id: string;
          id: string;
          clinic_id: string;
          patient_id: string;
          locked: boolean;
        }>(
          `SELECT l.id AS link_id, a.id, a.clinic_id, a.patient_id, coalesce(a.locked_until > $3, false) AS locked
           FROM portal_sign_in_links l JOIN portal_accounts a ON a.clinic_id = l.clinic_id AND a.id = l.account_id
          WHERE l.clinic_id = $1 AND l.token_hash = $2 AND l.used_at IS NULL AND l.expires_at > $3 AND a.status = 'active'
          FOR UPDATE OF l, a`,
          [t.clinicId, t.hash, now],
        );
        const row = r.rows[0];
        if (!row) throw LINK_UNUSABLE();
        await tx.query(
          `UPDATE portal_sign_in_links SET used_at = $3 WHERE clinic_id = $1 AND account_id = $2 AND used_at IS NULL`,
          [t.clinicId, row.id, now],
        );
        if (row.locked) {
          await this.accounts.record(tx, row, 'sign_in.link', 'refused');
          return null;
        }
        return this.accounts.startSession(tx, row, 'link');
      })
      .then((s) => {
        if (!s) throw LINK_UNUSABLE();
        return s;
      });
  }

  // ---------------------------------------------------------------- passkeys of a signed-in account

  async factors(caller: PortalCaller): Promise<{ passkeys: PortalPasskey[]; authenticatorApp: boolean }> {
    return this.accounts.tx(caller.clinicId, async (tx) => {
      const a = await tx.query<{ totp: boolean }>(
        `SELECT totp_secret_enc IS NOT NULL AS totp FROM portal_accounts WHERE clinic_id = $1 AND id = $2`,
        [caller.clinicId, caller.accountId],
      );
      const keys = await this.#passkeys(tx, caller);
      return {
        authenticatorApp: a.rows[0]?.totp ?? false,
        passkeys: keys.map((k) => ({
          id: k.id,
          name: k.name,
          createdAt: k.created_at.toISOString(),
          lastUsedAt: k.last_used_at ? k.last_used_at.toISOString() : null,
        })),
      };
    });
  }

  #passkeys(tx: Parameters<Parameters<PortalAccounts['tx']>[1]>[0], caller: PortalCaller) {
    return tx
      .query<{
        id: string;
        name: string;
        credential_id: string;
        transports: string[];
        created_at: Date;
        last_used_at: Date | null;
      }>(
        `SELECT id, name, credential_id, transports, created_at, last_used_at FROM portal_passkeys
          WHERE clinic_id = $1 AND account_id = $2 ORDER BY created_at`,
        [caller.clinicId, caller.accountId],
      )
      .then((r) => r.rows);
  }

  async addOptions(caller: PortalCaller, rp: RelyingParty) {
    const existing = await this.accounts.tx(caller.clinicId, (tx) => this.#passkeys(tx, caller));
    return this.accounts.ceremonies.registrationOptions(
      rp,
      { id: caller.accountId, label: rp.name },
      existing,
    );
  }

  async add(
    caller: PortalCaller,
    passkey: PasskeyRegistration,
    name: string,
    rp: RelyingParty,
  ): Promise<PortalPasskey> {
    const reg = await this.accounts.ceremonies.verifyRegistration(rp, caller.accountId, passkey);
    return this.accounts.tx(caller.clinicId, async (tx) => {
      if (!(await this.accounts.ceremonies.consume(tx, caller.clinicId, reg.challenge)))
        throw new AppError(400, 'passkey_refused', 'This passkey answer was already used. Try again.');
      const row = await this.accounts.insertPasskey(tx, callerRow(caller), reg, name);
      return { id: row.id, name: row.name, createdAt: row.created_at.toISOString(), lastUsedAt: null };
    });
  }

  /** Removes a passkey, unless it is the account's last second factor (then sign-in would be impossible). */
  async remove(caller: PortalCaller, id: string): Promise<void> {
    await this.accounts.tx(caller.clinicId, async (tx) => {
      const a = await tx.query<{ totp: boolean }>(
        `SELECT totp_secret_enc IS NOT NULL AS totp FROM portal_accounts WHERE clinic_id = $1 AND id = $2 FOR UPDATE`,
        [caller.clinicId, caller.accountId],
      );
      if (!a.rows[0]) throw NO_SESSION();
      const keys = await this.#passkeys(tx, caller);
      if (!keys.some((k) => k.id === id)) throw new AppError(404, 'not_found', 'That passkey was not found.');
      if (!a.rows[0].totp && keys.length === 1)
        throw new AppError(
          409,
          'last_second_factor',
          'This is your only passkey and you have no authenticator app, so you could not sign in without it. Add another passkey first.',
        );
      await tx.query(`DELETE FROM portal_passkeys WHERE clinic_id = $1 AND account_id = $2 AND id = $3`, [
        caller.clinicId,
        caller.accountId,
        id,
      ]);
      await this.accounts.record(tx, callerRow(caller), 'passkey.removed');
    });
  }
}
