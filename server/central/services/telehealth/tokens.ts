import crypto from 'node:crypto';
import { newToken, sha256 } from '../../../platform/secrets';

/**
 * Join tokens and participant credentials.
 *
 * A join token is `v1.<payload>.<mac>`: the payload (base64url JSON) names the clinic and the link by id
 * and carries the window, the MAC is HMAC-SHA256 under a key derived from the central secret. It holds no
 * name, date of birth or other patient data, so the link is opaque; the link row (revocable, replaceable)
 * decides the rest. The clinic id in it only tells central which tenant to look in — after the MAC is good.
 *
 * A participant credential is `<clinicId>.<random>`: only its SHA-256 is stored; a new join retires it.
 */

const VERSION = 'v1';

export interface JoinClaims {
  /** clinic id */
  c: string;
  /** link id */
  l: string;
  /** window: opens / expires, epoch seconds */
  nb: number;
  exp: number;
}

export class JoinTokens {
  readonly #key: Buffer;
  constructor(secret: Buffer) {
    this.#key = Buffer.from(crypto.hkdfSync('sha256', secret, 'tessera-central', 'telehealth-join-v1', 32));
  }

  sign(claims: JoinClaims): string {
    const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return `${VERSION}.${payload}.${this.#mac(payload)}`;
  }

  /** The claims of a token made here and not altered, or null. Time is checked by the caller (a sentence). */
  verify(token: string): JoinClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) return null;
    const [, payload, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.#mac(payload), 'utf8');
    const given = Buffer.from(mac, 'utf8');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<JoinClaims>;
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
      if (
        typeof claims.c !== 'string' ||
        !uuid.test(claims.c) ||
        typeof claims.l !== 'string' ||
        !uuid.test(claims.l) ||
        typeof claims.nb !== 'number' ||
        typeof claims.exp !== 'number'
      )
        return null;
      return claims as JoinClaims;
    } catch {
      return null;
    }
  }

  #mac(payload: string): string {
    return crypto.createHmac('sha256', this.#key).update(`${VERSION}.${payload}`).digest('base64url');
  }
}

export function newParticipantCredential(clinicId: string): { credential: string; hash: string } {
  const credential = `${clinicId}.${newToken()}`;
  return { credential, hash: sha256(credential) };
}

/** The clinic a credential claims (checked by its hash within that tenant), or null when malformed. */
export function credentialClinic(credential: string): string | null {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/i.exec(
    credential,
  );
  return m ? m[1]!.toLowerCase() : null;
}
