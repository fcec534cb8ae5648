import crypto from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticatorTransportFuture,
} from '@simplewebauthn/server';
import type { PasskeyAssertion, PasskeyRegistration } from '../../../contracts/portal/signin';
import { AppError } from '../../../platform/errors';
import { sha256 } from '../../../platform/secrets';
import type { ColumnCipher } from '../../crypto';
import type { Tx } from '../../db/pool';

/**
 * WebAuthn for the portal (passkeys as the second factor), on @simplewebauthn/server.
 *
 * Challenges are sealed rather than stored: the challenge is the column cipher's AES-GCM encryption of
 * {purpose, account, expiry, nonce}, so central needs no pre-tenant table (a passkey sign-in starts before
 * the clinic is known) and any central instance can check it. A challenge is good for one response: the
 * first use inserts its hash into portal_webauthn_used (in the tenant), and a replay hits the primary key.
 *
 * Passkeys are discoverable credentials (residentKey required), so sign-in needs no allowCredentials list and
 * the options never say which e-mails have passkeys. User presence is required; user verification is
 * preferred but not required, because the passkey is the second factor after the password.
 */

export const CHALLENGE_MINUTES = 5;
const CHALLENGE_PLACE = 'portal/webauthn-challenge';

type Purpose = 'register' | 'authenticate';
interface Sealed {
  p: Purpose;
  a: string | null;
  x: number;
  n: string;
}
/** A challenge read back from a response: what was sealed, and the challenge as the browser signed it. */
export type OpenedChallenge = Sealed & { raw: string };

/** Where the portal is, as the browser sees it: the origin it signs into clientData, and the RP ID. */
export interface RelyingParty {
  origin: string;
  rpId: string;
  name: string;
}

export const relyingParty = (origin: string, name: string): RelyingParty => ({
  origin,
  rpId: new URL(origin).hostname,
  name,
});

export interface StoredPasskey {
  id: string;
  account_id: string;
  credential_id: string;
  public_key: Buffer;
  counter: string | number;
  transports: string[];
}

/** Options JSON as the catalogue carries it (passed to @simplewebauthn/browser unchanged). */
type OptionsJSON = { challenge: string } & Record<string, unknown>;
const plain = (o: { challenge: string }): OptionsJSON => ({ ...o });

const refused = () =>
  new AppError(
    400,
    'passkey_refused',
    'The passkey could not be confirmed. Try again, or use the code from your authenticator app.',
  );

export class PasskeyCeremonies {
  constructor(
    readonly cipher: ColumnCipher,
    readonly now: () => Date,
  ) {}

  #seal(p: Purpose, accountId: string | null): string {
    const body: Sealed = {
      p,
      a: accountId,
      x: this.now().getTime() + CHALLENGE_MINUTES * 60_000,
      n: crypto.randomBytes(16).toString('base64url'),
    };
    return this.cipher.encrypt(JSON.stringify(body), CHALLENGE_PLACE);
  }

  /** The sealed challenge inside a response's clientDataJSON, if it is ours, unexpired and for `p`. */
  open(clientDataJSON: string, p: Purpose): OpenedChallenge | null {
    try {
      const client = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
        challenge?: unknown;
      };
      if (typeof client.challenge !== 'string') return null;
      const raw = Buffer.from(client.challenge, 'base64url').toString('utf8');
      const body = JSON.parse(this.cipher.decrypt(raw, CHALLENGE_PLACE)) as Sealed;
      if (body.p !== p || body.x < this.now().getTime()) return null;
      return { ...body, raw: client.challenge };
    } catch {
      return null;
    }
  }

  /** Marks a challenge used in the clinic; false when it was used before (a replay). */
  async consume(tx: Tx, clinicId: string, challenge: OpenedChallenge): Promise<boolean> {
    await tx.query(`DELETE FROM portal_webauthn_used WHERE clinic_id = $1 AND expires_at < $2`, [
      clinicId,
      this.now(),
    ]);
    const r = await tx.query(
      `INSERT INTO portal_webauthn_used (clinic_id, challenge_hash, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [clinicId, sha256(challenge.raw), new Date(challenge.x)],
    );
    return r.rowCount === 1;
  }

  async registrationOptions(
    rp: RelyingParty,
    account: { id: string; label: string },
    existing: { credential_id: string; transports: string[] }[],
  ): Promise<OptionsJSON> {
    return plain(
      await generateRegistrationOptions({
        rpName: rp.name,
        rpID: rp.rpId,
        // The user handle is the account id (no e-mail, no name): what the authenticator stores stays opaque.
        userID: new Uint8Array(Buffer.from(account.id, 'utf8')),
        userName: account.label,
        userDisplayName: account.label,
        challenge: this.#seal('register', account.id),
        timeout: CHALLENGE_MINUTES * 60_000,
        attestationType: 'none',
        excludeCredentials: existing.map((c) => ({
          id: c.credential_id,
          transports: c.transports as AuthenticatorTransportFuture[],
        })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
        supportedAlgorithmIDs: [-7, -8, -257],
      }),
    );
  }

  async authenticationOptions(rp: RelyingParty): Promise<OptionsJSON> {
    return plain(
      await generateAuthenticationOptions({
        rpID: rp.rpId,
        challenge: this.#seal('authenticate', null),
        timeout: CHALLENGE_MINUTES * 60_000,
        userVerification: 'preferred',
      }),
    );
  }

  /** A new credential for `accountId`, verified; throws passkey_refused otherwise. */
  async verifyRegistration(rp: RelyingParty, accountId: string, response: PasskeyRegistration) {
    const challenge = this.open(response.response.clientDataJSON, 'register');
    if (!challenge || challenge.a !== accountId) throw refused();
    let out;
    try {
      out = await verifyRegistrationResponse({
        response: response as never,
        expectedChallenge: challenge.raw,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpId,
        requireUserVerification: false,
      });
    } catch {
      throw refused();
    }
    if (!out.verified) throw refused();
    const c = out.registrationInfo.credential;
    return {
      challenge,
      credentialId: c.id,
      publicKey: Buffer.from(c.publicKey),
      counter: c.counter,
      transports: (c.transports ?? []) as string[],
    };
  }

  /** Checks an assertion against a stored passkey; null when it does not verify. */
  async verifyAssertion(
    rp: RelyingParty,
    stored: StoredPasskey,
    response: PasskeyAssertion,
  ): Promise<{ challenge: OpenedChallenge; newCounter: number } | null> {
    const challenge = this.open(response.response.clientDataJSON, 'authenticate');
    if (!challenge || response.id !== stored.credential_id) return null;
    try {
      const out = await verifyAuthenticationResponse({
        response: response as never,
        expectedChallenge: challenge.raw,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpId,
        credential: {
          id: stored.credential_id,
          publicKey: new Uint8Array(stored.public_key),
          counter: Number(stored.counter),
          transports: stored.transports as AuthenticatorTransportFuture[],
        },
        requireUserVerification: false,
      });
      return out.verified ? { challenge, newCounter: out.authenticationInfo.newCounter } : null;
    } catch {
      // A bad signature, a counter that went backwards (a cloned authenticator), the wrong origin…
      return null;
    }
  }
}
