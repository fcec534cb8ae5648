import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  WebAuthnError,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import type { PasskeyAssertion, PasskeyRegistration } from '../../../server/contracts/portal/signin';
import { portal } from '../api';
import type { MessageKey } from '../i18n';

/**
 * The browser's side of passkeys (@simplewebauthn/browser): central hands out the options, the browser's
 * authenticator answers, and the answer goes back to central unchanged. A cancelled or timed-out prompt is
 * told apart from a refusal so the page can say which.
 */
export class PasskeyProblem extends Error {
  constructor(readonly key: MessageKey) {
    super(key);
  }
}

const unsupported = () => new PasskeyProblem('passkey.unsupported');

function translate(err: unknown): never {
  if (err instanceof WebAuthnError || (err instanceof Error && err.name === 'NotAllowedError'))
    throw new PasskeyProblem('passkey.cancelled');
  throw err;
}

/** A new passkey for the given registration options. */
export async function createPasskey(options: Record<string, unknown>): Promise<PasskeyRegistration> {
  if (!browserSupportsWebAuthn()) throw unsupported();
  // The browser's JSON is what the contract's schema checks at central (extension outputs as a record).
  const r = await startRegistration({
    optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
  }).catch(translate);
  return r as unknown as PasskeyRegistration;
}

/** An answer from one of the patient's passkeys, to a fresh challenge from central. */
export async function answerWithPasskey(): Promise<PasskeyAssertion> {
  if (!browserSupportsWebAuthn()) throw unsupported();
  const { options } = await portal('portalPasskeyChallenge');
  const r = await startAuthentication({
    optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
  }).catch(translate);
  return r as unknown as PasskeyAssertion;
}
