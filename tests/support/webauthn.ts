import crypto from 'node:crypto';

/**
 * A software passkey authenticator for integration tests (no browser): it answers WebAuthn registration and
 * authentication options the way a platform authenticator does — an ES256 key pair per credential, "none"
 * attestation, authenticator data with the RP ID hash, flags and a signature counter, and an ECDSA signature
 * over authenticatorData ‖ SHA-256(clientDataJSON). What central verifies is therefore real cryptography,
 * not a stub. The e2e tests use Chromium's own virtual authenticator instead (CDP WebAuthn domain).
 */

type Json = Record<string, unknown>;

const b64u = (b: Buffer | Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest();

// ---------------------------------------------------------------- a minimal CBOR encoder (RFC 8949)

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

type Cbor = number | string | Buffer | Map<Cbor, Cbor>;
function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    return Buffer.concat([head(3, s.length), s]);
  }
  if (Buffer.isBuffer(v)) return Buffer.concat([head(2, v.length), v]);
  const parts: Buffer[] = [head(5, v.size)];
  for (const [k, x] of v) parts.push(cbor(k), cbor(x));
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------- the authenticator

export interface SoftCredential {
  id: Buffer;
  rpId: string;
  userHandle: Buffer;
  privateKey: crypto.KeyObject;
  counter: number;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  /** Flags: user present always; user verified unless told otherwise. */
  constructor(readonly opts: { userVerified?: boolean; counter?: boolean } = {}) {}

  #flags(extra: number) {
    return 0x01 | (this.opts.userVerified === false ? 0 : 0x04) | extra;
  }

  #authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), c, ...(attested ? [attested] : [])]);
  }

  /** navigator.credentials.create() for `options` at `origin`, as @simplewebauthn/browser's JSON. */
  create(options: Json, origin: string, tweak: { challenge?: string; origin?: string } = {}) {
    const rp = options.rp as { id: string };
    const user = options.user as { id: string };
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const id = crypto.randomBytes(16);
    const cose = cbor(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLen, id, cose]);
    const authData = this.#authData(rp.id, this.#flags(0x40), 0, attested);
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: 'webauthn.create',
        challenge: tweak.challenge ?? options.challenge,
        origin: tweak.origin ?? origin,
        crossOrigin: false,
      }),
    );
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const cred: SoftCredential = {
      id,
      rpId: rp.id,
      userHandle: Buffer.from(user.id, 'base64url'),
      privateKey,
      counter: 0,
    };
    this.credentials.push(cred);
    return {
      id: b64u(id),
      rawId: b64u(id),
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64u(clientDataJSON),
        attestationObject: b64u(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
    };
  }

  /** navigator.credentials.get() with credential `which` (default: the newest for the RP). */
  get(options: Json, origin: string, which?: SoftCredential, tweak: { counter?: number } = {}) {
    const rpId = options.rpId as string;
    const cred = which ?? [...this.credentials].reverse().find((c) => c.rpId === rpId);
    if (!cred) throw new Error(`no passkey for ${rpId}`);
    if (this.opts.counter !== false) cred.counter += 1;
    const authData = this.#authData(
      rpId,
      this.#flags(0),
      tweak.counter ?? (this.opts.counter === false ? 0 : cred.counter),
    );
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }),
    );
    const signature = crypto.sign(
      'sha256',
      Buffer.concat([authData, sha256(clientDataJSON)]),
      cred.privateKey,
    );
    return {
      id: b64u(cred.id),
      rawId: b64u(cred.id),
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: b64u(cred.userHandle),
      },
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
    };
  }
}
