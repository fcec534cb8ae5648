import { z } from 'zod';
import { idSchema } from '../common';
import { claimAddressSchema, enrollmentStatusSchema } from './setup';
import {
  batchStatuses,
  claimEventKinds,
  claimFileKinds,
  claimFrequencies,
  claimLineStatuses,
  claimPriorities,
  claimStatuses,
  denialActions,
  eraPaymentStatuses,
  linePostingKinds,
} from './records';

/** Request and response shapes of the claims API (docs/claims.md). Money in integer cents. */

export const idParamsSchema = z.object({ id: idSchema });
export const userParamsSchema = z.object({ userId: idSchema });

export const payerSchema = z.object({
  id: z.string(),
  name: z.string(),
  clearinghouseIds: z.array(z.object({ clearinghouse: z.string(), payerId: z.string() })),
  claimFilingIndicator: z.string(),
  claimEnrollment: enrollmentStatusSchema,
  eraEnrollment: enrollmentStatusSchema,
  timelyFilingDays: z.number().int().nullable(),
  address: claimAddressSchema.nullable(),
});
export const payersResponseSchema = z.object({ payers: z.array(payerSchema) });

export const billingProviderSchema = z.object({
  organizationName: z.string(),
  npi: z.string(),
  taxId: z.string(),
  taxonomy: z.string(),
  address: claimAddressSchema,
  payToAddress: claimAddressSchema.nullable(),
  contactName: z.string(),
  contactPhone: z.string(),
});
export const billingProviderResponseSchema = z.object({ billingProvider: billingProviderSchema.nullable() });

export const renderingProviderSchema = z.object({
  userId: z.string(),
  fullName: z.string(),
  npi: z.string().nullable(),
  taxonomy: z.string().nullable(),
});
export const renderingProvidersResponseSchema = z.object({ providers: z.array(renderingProviderSchema) });

export const clearinghouseResponseSchema = z.object({
  clearinghouse: z
    .object({ name: z.string(), senderId: z.string(), receiverId: z.string(), usage: z.enum(['T', 'P']), autoPostEra: z.boolean() })
    .nullable(),
});

/**
 * Central's clearinghouse connection as this workstation can learn it (relayed as the signed-in biller):
 * what central says, or why it could not be asked (not connected to a central server, offline, refused).
 */
export const clearinghouseConnectionResponseSchema = z.discriminatedUnion('reachable', [
  z.object({
    reachable: z.literal(true),
    configured: z.boolean(),
    transport: z.enum(['sftp', 'https']).nullable(),
    lastSendAt: z.string().nullable(),
    lastFileAt: z.string().nullable(),
    lastPollAt: z.string().nullable(),
  }),
  z.object({ reachable: z.literal(false), reason: z.enum(['not_enrolled', 'offline', 'refused']), message: z.string() }),
]);
export type ClearinghouseConnectionResponse = z.infer<typeof clearinghouseConnectionResponseSchema>;

const findingSchema = z.object({
  severity: z.enum(['refuse', 'warn']),
  code: z.string(),
  line: z.number().int().optional(),
  message: z.string(),
});

export const createClaimsBodySchema = z.object({
  encounterId: idSchema,
  priority: z.enum(claimPriorities).default('primary'),
  /** The visit's posted charge lines to bill; all of them when left out. */
  chargeLineIds: z.array(idSchema).min(1, 'Choose at least one charge line.').max(500).optional(),
});

/** Closed visits of insured patients with posted lines no live primary claim carries yet. */
export const unbilledVisitsSchema = z.object({
  visits: z.array(
    z.object({
      encounterId: z.string(),
      patientId: z.string(),
      patientName: z.string(),
      dateOfService: z.string(),
      providerName: z.string(),
      payerName: z.string(),
      unbilledLines: z.number().int(),
      unbilledCents: z.number().int(),
    }),
  ),
  /** More visits wait than the list shows (the newest 200 are listed). */
  truncated: z.boolean(),
});

/** One visit's posted lines with the live claims that carry each, and the coverages in effect on its date. */
export const visitForClaimsSchema = z.object({
  encounter: z.object({
    id: z.string(),
    patientId: z.string(),
    patientName: z.string(),
    dateOfService: z.string(),
    providerName: z.string(),
    closed: z.boolean(),
  }),
  coverages: z.array(z.object({ priority: z.enum(claimPriorities), payerName: z.string(), payerSetUp: z.boolean() })),
  lines: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      description: z.string(),
      modifiers: z.array(z.string()),
      units: z.number().int(),
      amountCents: z.number().int(),
      dateOfService: z.string(),
      placeOfService: z.string(),
      providerName: z.string(),
      claims: z.array(z.object({ claimId: z.string(), priority: z.enum(claimPriorities), payerName: z.string(), status: z.enum(claimStatuses) })),
    }),
  ),
});
export type VisitForClaims = z.infer<typeof visitForClaimsSchema>;

/** The claims the chosen lines would become, scrubbed, before anything is written. */
export const claimPreviewSchema = z.object({
  payerName: z.string(),
  priority: z.enum(claimPriorities),
  claims: z.array(
    z.object({
      providerName: z.string(),
      chargeLineIds: z.array(z.string()),
      diagnoses: z.array(z.string()),
      totalCents: z.number().int(),
      status: z.enum(claimStatuses),
      findings: z.array(findingSchema),
    }),
  ),
  alreadyClaimed: z.array(z.string()),
});
export type ClaimPreview = z.infer<typeof claimPreviewSchema>;

export const voidClaimResultSchema = z.object({ claimId: z.string(), status: z.enum(claimStatuses), voidClaimId: z.string() });
export const createdClaimsSchema = z.object({
  claims: z.array(
    z.object({ id: z.string(), status: z.enum(claimStatuses), totalCents: z.number().int(), lines: z.number().int(), findings: z.array(findingSchema) }),
  ),
});
export const createdClaimSchema = createdClaimsSchema.shape.claims.element;

export const boardQuerySchema = z.object({
  status: z.enum(claimStatuses).optional(),
  payerId: idSchema.optional(),
  providerUserId: idSchema.optional(),
  minAgeDays: z.coerce.number().int().min(0).max(3650).optional(),
  maxAgeDays: z.coerce.number().int().min(0).max(3650).optional(),
});

export const boardItemSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  payerId: z.string(),
  payerName: z.string(),
  providerUserId: z.string(),
  providerName: z.string(),
  priority: z.enum(claimPriorities),
  frequency: z.enum(claimFrequencies),
  status: z.enum(claimStatuses),
  statusDetail: z.string(),
  patientControlNumber: z.string(),
  dateOfService: z.string(),
  ageDays: z.number().int(),
  totalCents: z.number().int(),
  paidCents: z.number().int(),
  patientResponsibilityCents: z.number().int(),
  warnings: z.number().int(),
  refusals: z.number().int(),
});
export type BoardItem = z.infer<typeof boardItemSchema>;
export const boardResponseSchema = z.object({ claims: z.array(boardItemSchema) });

export const claimDetailSchema = z.object({
  claim: z.object({
    id: z.string(),
    patientId: z.string(),
    patientName: z.string(),
    encounterId: z.string(),
    payerId: z.string(),
    payerName: z.string(),
    providerName: z.string(),
    priority: z.enum(claimPriorities),
    frequency: z.enum(claimFrequencies),
    status: z.enum(claimStatuses),
    statusDetail: z.string(),
    patientControlNumber: z.string(),
    payerClaimNumber: z.string().nullable(),
    replacesClaimId: z.string().nullable(),
    primaryClaimId: z.string().nullable(),
    diagnoses: z.array(z.string()),
    totalCents: z.number().int(),
    paidCents: z.number().int(),
    patientResponsibilityCents: z.number().int(),
    adjustedCents: z.number().int(),
    appealNote: z.string(),
    findings: z.array(findingSchema),
    batch: z
      .object({
        id: z.string(),
        interchangeControlNumber: z.number().int(),
        status: z.enum(batchStatuses),
        /** Set by central when it sent the batch to the clearinghouse. */
        sentAt: z.string().nullable(),
        /** The last failed attempt to send it, as a sentence, while it is still queued; and the next attempt. */
        sendError: z.string().nullable(),
        nextSendAt: z.string().nullable(),
        /** The above as a sentence in the clinic's time ("Sent to the clearinghouse on Mar 10 at 10:06 AM."). */
        transmission: z.string().nullable(),
      })
      .nullable(),
  }),
  lines: z.array(
    z.object({
      id: z.string(),
      position: z.number().int(),
      code: z.string(),
      modifiers: z.array(z.string()),
      units: z.number().int(),
      chargeCents: z.number().int(),
      dateOfService: z.string(),
      placeOfService: z.string(),
      status: z.enum(claimLineStatuses),
      paidCents: z.number().int(),
    }),
  ),
  postings: z.array(
    z.object({
      id: z.string(),
      claimLineId: z.string().nullable(),
      kind: z.enum(linePostingKinds),
      group: z.string().nullable(),
      reasonCode: z.string().nullable(),
      reasonText: z.string(),
      eraPaymentId: z.string(),
      amountCents: z.number().int(),
      reversal: z.boolean(),
      posted: z.boolean(),
      denialAction: z.enum(denialActions).nullable(),
      createdAt: z.string(),
    }),
  ),
  /** Per remittance that touched the claim: the proof (billed, allowed, paid, adjustments, patient share). */
  remittances: z.array(
    z.object({
      eraPaymentId: z.string(),
      payerName: z.string(),
      paymentDate: z.string().nullable(),
      fileName: z.string(),
      receivedAt: z.string(),
      reversal: z.boolean(),
      billedCents: z.number().int(),
      allowedCents: z.number().int(),
      paidCents: z.number().int(),
      patientResponsibilityCents: z.number().int(),
      deniedCents: z.number().int(),
      balanced: z.boolean(),
      adjustments: z.array(
        z.object({ group: z.string(), groupText: z.string(), reasonCode: z.string(), reasonText: z.string(), amountCents: z.number().int() }),
      ),
    }),
  ),
  history: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(claimEventKinds),
      statusFrom: z.string().nullable(),
      statusTo: z.string().nullable(),
      at: z.string(),
      file: z
        .object({
          id: z.string(),
          kind: z.enum(claimFileKinds),
          name: z.string(),
          direction: z.enum(['outbound', 'inbound']),
          /** How an inbound file arrived: fetched by central from the clearinghouse, or null (a person imported it). */
          origin: z.object({ via: z.literal('clearinghouse'), transport: z.string(), receivedAt: z.string() }).nullable(),
        })
        .nullable(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type ClaimDetail = z.infer<typeof claimDetailSchema>;

export const buildBatchBodySchema = z.object({ claimIds: z.array(idSchema).max(5000).optional() });
export const builtBatchSchema = z.object({
  batchId: z.string(),
  fileId: z.string(),
  fileName: z.string(),
  interchangeControlNumber: z.number().int(),
  claimIds: z.array(z.string()),
  totalCents: z.number().int(),
  skipped: z.array(z.object({ claimId: z.string(), findings: z.array(findingSchema) })),
});

/**
 * ST01 of a file's first transaction set ('835', '999', '277'…), whatever the delimiters; null when there is
 * none. The screen uses it to send a picked file to the right import; the server checks it again.
 */
export function firstTransactionSet(content: string): string | null {
  return /(?:^|[~\r\n'|])\s*ST(.)(\d{3})\1/.exec(content)?.[2] ?? null;
}

/** A claims file as stored (an 837P to hand to the clearinghouse by hand, or a file received). */
export const claimFileSchema = z.object({
  id: z.string(),
  kind: z.enum(claimFileKinds),
  direction: z.enum(['outbound', 'inbound']),
  name: z.string(),
  content: z.string(),
  createdAt: z.string(),
});

/** An inbound file as the biller picked it (or central fetched it): its name and its text. */
export const importFileBodySchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name the file.')
    .max(200, 'Keep the file name under 200 characters.')
    .regex(/^[^/\\]+$/, 'A file name, not a path.'),
  content: z.string().min(10, 'The file is empty.').max(50_000_000, 'The file is too large (50 MB at most).'),
});

export const ackResultSchema = z.object({
  fileId: z.string(),
  kind: z.enum(['999', '277CA']),
  batches: z.array(z.object({ batchId: z.string(), status: z.string() })),
  claims: z.array(z.object({ claimId: z.string(), patientControlNumber: z.string(), status: z.enum(claimStatuses), message: z.string() })),
  unmatched: z.array(z.string()),
  findings: z.array(z.string()),
});

const postedClaimSchema = z.object({
  claimId: z.string(),
  status: z.enum(claimStatuses),
  paidCents: z.number().int(),
  patientResponsibilityCents: z.number().int(),
  secondaryClaimId: z.string().nullable(),
  notes: z.array(z.string()),
});
export const eraPaymentResultSchema = z.object({
  eraPaymentId: z.string(),
  status: z.enum(eraPaymentStatuses),
  paymentCents: z.number().int(),
  blockedBecause: z.array(z.string()),
  reviewBecause: z.array(z.string()),
  claims: z.array(postedClaimSchema),
});
export const eraImportResultSchema = z.object({ fileId: z.string(), payments: z.array(eraPaymentResultSchema) });

export const eraListQuerySchema = z.object({ status: z.enum(eraPaymentStatuses).optional() });
export const eraPaymentSchema = z.object({
  id: z.string(),
  payerName: z.string(),
  paymentCents: z.number().int(),
  paymentDate: z.string().nullable(),
  status: z.enum(eraPaymentStatuses),
  blockedBecause: z.array(z.string()),
  reviewBecause: z.array(z.string()),
  proof: z.record(z.string(), z.number().nullable()),
  providerAdjustments: z.array(
    z.object({ kind: z.string(), reasonCode: z.string(), reasonText: z.string(), reference: z.string(), amountCents: z.number().int() }),
  ),
  unmatched: z.array(
    z.object({
      eraClaimIndex: z.number().int(),
      eraLineIndex: z.number().int().nullable(),
      patientControlNumber: z.string(),
      /** Our claim with that control number, when the claim matched and only a line did not. */
      claimId: z.string().nullable(),
      code: z.string().nullable(),
      chargeCents: z.number().int(),
      reason: z.string().nullable(),
    }),
  ),
  createdAt: z.string(),
  postedAt: z.string().nullable(),
});
export const eraListSchema = z.object({ payments: z.array(eraPaymentSchema) });

export const assistedPostBodySchema = z.object({
  resolutions: z
    .array(
      z.object({
        eraClaimIndex: z.number().int().min(0),
        claimId: idSchema,
        lines: z.array(z.object({ eraLineIndex: z.number().int().min(0), claimLineId: idSchema })).optional(),
      }),
    )
    .max(1000),
});

export const denialGroupsSchema = z.object({
  groups: z.array(
    z.object({
      reasonCode: z.string(),
      reasonText: z.string(),
      totalCents: z.number().int(),
      items: z.array(
        z.object({
          postingId: z.string(),
          claimId: z.string(),
          claimLineId: z.string().nullable(),
          patientId: z.string(),
          payerName: z.string(),
          patientControlNumber: z.string(),
          group: z.string().nullable(),
          reasonCode: z.string().nullable(),
          amountCents: z.number().int(),
          deniedAt: z.string(),
        }),
      ),
    }),
  ),
});

export const workDenialBodySchema = z.object({
  action: z.enum(denialActions, { message: 'Choose what to do with the denial.' }),
  note: z.string().trim().max(2000, 'Keep the note under 2,000 characters.').optional(),
});
export const workDenialResultSchema = z.object({
  claimId: z.string(),
  status: z.string(),
  replacementClaimId: z.string().nullable(),
});

/**
 * Billing > Claims > Files: every 999, 277CA, 835 and 271 that reached this clinic — fetched by central from
 * the clearinghouse (claim_inbound_files: waiting, imported or failed with the reader's sentence) or picked
 * from a file by a person (claim_files) — newest first. Names and counts only, never patient data.
 */
export const receivedFileSchema = z.object({
  /** The claim_inbound_files row (from the clearinghouse) or the claim_files row (imported by hand). */
  id: z.string(),
  source: z.enum(['clearinghouse', 'import']),
  kind: z.enum(['x999', 'x277ca', 'x835', 'x271']),
  name: z.string(),
  receivedAt: z.string(),
  /** `sftp` / `https` for a clearinghouse file; null when imported by hand. */
  transport: z.string().nullable(),
  result: z.enum(['imported', 'failed', 'waiting']),
  /** What the import did (e.g. "2 remittances"), or why it failed, as a sentence. */
  detail: z.string(),
  /** The stored file (claims history, download through getClaimFile); null for a 271 or a failed import. */
  fileId: z.string().nullable(),
});
export type ReceivedFile = z.infer<typeof receivedFileSchema>;
export const receivedFilesResponseSchema = z.object({
  files: z.array(receivedFileSchema),
  failed: z.number().int(),
  waiting: z.number().int(),
  /** True when older files were left out (the newest 500 are listed). */
  more: z.boolean(),
});
export const inboundFileContentSchema = z.object({ id: z.string(), name: z.string(), kind: z.string(), content: z.string() });
