import { z } from 'zod';

/**
 * The stored vocabulary of claims (migration 0015, docs/claims.md): one list per column, shared by the
 * database CHECKs, the drizzle schema, the services and the screens.
 */

/**
 * A claim's place on the claims board. `draft`: the scrubber refuses it (fix first); `warnings`: it may be
 * sent but the scrubber warns; `ready`: clean; `sent`: in an 837P batch; `accepted`/`rejected`: the
 * clearinghouse or payer said so (999 / 277CA); `paid`, `partially_paid`, `denied`: the 835 said so;
 * `appealed`: the biller wrote an appeal; `closed`: nothing left to do (written off, billed to the patient,
 * replaced or voided).
 */
export const claimStatuses = [
  'draft',
  'warnings',
  'ready',
  'sent',
  'accepted',
  'rejected',
  'paid',
  'partially_paid',
  'denied',
  'appealed',
  'closed',
] as const;
export const claimStatusSchema = z.enum(claimStatuses);
export type ClaimStatus = z.infer<typeof claimStatusSchema>;

export const claimStatusLabels: Record<ClaimStatus, string> = {
  draft: 'Draft',
  warnings: 'Scrubber warnings',
  ready: 'Ready',
  sent: 'Sent',
  accepted: 'Accepted',
  rejected: 'Rejected',
  paid: 'Paid',
  partially_paid: 'Partially paid',
  denied: 'Denied',
  appealed: 'Appealed',
  closed: 'Closed',
};

/** Claims a batch may take. */
export const SENDABLE_STATUSES: readonly ClaimStatus[] = ['ready', 'warnings'];

export const claimPriorities = ['primary', 'secondary', 'tertiary'] as const;
export type ClaimPriority = (typeof claimPriorities)[number];

/** CLM05-3: original, replacement, void. Stored as words (the database stores enum words only). */
export const claimFrequencies = ['original', 'replacement', 'void'] as const;
export type ClaimFrequencyName = (typeof claimFrequencies)[number];
export const FREQUENCY_CODE: Record<ClaimFrequencyName, '1' | '7' | '8'> = { original: '1', replacement: '7', void: '8' };

export const claimLineStatuses = ['open', 'paid', 'partially_paid', 'denied', 'written_off', 'billed_to_patient', 'replaced'] as const;
export type ClaimLineStatus = (typeof claimLineStatuses)[number];

/** The files that touch claims. */
export const claimFileKinds = ['x837p', 'x999', 'x277ca', 'x835'] as const;
export type ClaimFileKind = (typeof claimFileKinds)[number];
export const claimFileKindLabels: Record<ClaimFileKind, string> = {
  x837p: '837P claims',
  x999: '999 acknowledgment',
  x277ca: '277CA claim acknowledgment',
  x835: '835 remittance',
};

/** What central fetches from the clearinghouse and hands to the workstations (claim_inbound_files). */
export const inboundFileKinds = ['x999', 'x277ca', 'x835', 'x271'] as const;
export type InboundFileKind = (typeof inboundFileKinds)[number];

export const batchStatuses = ['built', 'queued', 'sent', 'accepted', 'partially_accepted', 'rejected'] as const;
export type BatchStatus = (typeof batchStatuses)[number];

/** Every event on a claim's history. */
export const claimEventKinds = [
  'created',
  'rescrubbed',
  'batched',
  'ack_999',
  'ack_277ca',
  'era',
  'era_reversal',
  'resubmitted',
  'appeal',
  'written_off',
  'billed_patient',
  'secondary_created',
] as const;
export type ClaimEventKind = (typeof claimEventKinds)[number];

/** What an ERA did to a claim line (the posting plan's kinds, era-posting.ts). */
export const linePostingKinds = [
  'payer_payment',
  'contractual_writeoff',
  'payer_reduction',
  'other_adjustment',
  'prior_payer_adjudication',
  'patient_responsibility',
  'denial',
] as const;
export type LinePostingKind = (typeof linePostingKinds)[number];

/** What the biller did with a denial. */
export const denialActions = ['resubmitted', 'appealed', 'written_off', 'billed_patient'] as const;
export type DenialAction = (typeof denialActions)[number];

/**
 * An ERA payment: `posted` (entries in the ledger), `assisted` (waiting on the biller: unmatched or needing
 * a look), `refused` (does not balance, or not 5010: nothing can post), `duplicate` (same trace and content as
 * one already received: never posted twice).
 */
export const eraPaymentStatuses = ['posted', 'assisted', 'refused', 'duplicate'] as const;
export type EraPaymentStatus = (typeof eraPaymentStatuses)[number];
