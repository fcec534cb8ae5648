import { z } from 'zod';
import { idSchema } from '../common';

/**
 * Portal sign-in beyond password + authenticator code (issue 11): passkeys (WebAuthn) as the second factor,
 * e-mailed single-use sign-in links, and the step-up a link session needs before sensitive entries.
 * WebAuthn payloads are the JSON forms @simplewebauthn/browser produces; central verifies them with
 * @simplewebauthn/server (server/central/services/portal/passkeys.ts).
 */

const b64url = (max: number) =>
  z
    .string()
    .max(max, 'This passkey answer is too long.')
    .regex(/^[A-Za-z0-9_-]*$/, 'This passkey answer is not valid.');

const transports = z.array(z.string().max(20)).max(10);

/** What navigator.credentials.create() returned (as @simplewebauthn/browser's startRegistration gives it). */
export const passkeyRegistrationSchema = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url(4000),
    attestationObject: b64url(16000),
    authenticatorData: b64url(16000).optional(),
    transports: transports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4000).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export type PasskeyRegistration = z.infer<typeof passkeyRegistrationSchema>;

/** What navigator.credentials.get() returned (startAuthentication). */
export const passkeyAssertionSchema = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url(4000),
    authenticatorData: b64url(4000),
    signature: b64url(1000),
    userHandle: b64url(200).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export type PasskeyAssertion = z.infer<typeof passkeyAssertionSchema>;

/** Options for the browser's WebAuthn call, passed through to @simplewebauthn/browser unchanged. */
export const passkeyOptionsSchema = z.object({
  options: z.looseObject({ challenge: z.string(), rpId: z.string().optional() }),
});

const emailSchema = z
  .string()
  .trim()
  .max(254, 'At most 254 characters.')
  .pipe(z.email('Enter an e-mail address such as name@example.com.'));

export const passkeySignInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password.').max(200),
  passkey: passkeyAssertionSchema,
});

export const signInLinkRequestSchema = z.object({ email: emailSchema });
export const signInLinkRequestResultSchema = z.object({
  /** Always true: the answer never says whether the address has an account. */
  accepted: z.literal(true),
  minutes: z.number().int(),
});

export const signInLinkTokenSchema = z.object({
  token: z
    .string()
    .min(40, 'This link is incomplete. Open the whole link from the e-mail.')
    .max(200, 'This link is not valid. Open the whole link from the e-mail.'),
});

const codeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app.');

/** Step-up: the second factor for a session that has none yet (one started from an e-mailed link). */
export const stepUpSchema = z.union([
  z.object({ code: codeSchema }),
  z.object({ passkey: passkeyAssertionSchema }),
]);

export const passkeyNameSchema = z.string().trim().max(60, 'At most 60 characters.');

export const passkeyAddSchema = z.object({
  passkey: passkeyRegistrationSchema,
  name: passkeyNameSchema.default(''),
});

export const portalPasskeySchema = z.object({
  id: idSchema,
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type PortalPasskey = z.infer<typeof portalPasskeySchema>;

export const portalSecondFactorsSchema = z.object({
  passkeys: z.array(portalPasskeySchema),
  /** Whether the account has an authenticator app (TOTP). */
  authenticatorApp: z.boolean(),
});

export const portalPasskeyParamsSchema = z.object({ id: idSchema });
