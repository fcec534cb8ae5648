import { and, eq, inArray, isNull, max } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { v7 as uuidv7 } from 'uuid';
import { SENDABLE_STATUSES } from '../../../contracts/claims/records';
import type { ScrubFinding } from '../../../domain/claims/scrubber';
import { build837p, MAX_CLAIMS_PER_TRANSACTION } from '../../../domain/claims/x12/837p/build';
import type { Claim as X12Claim } from '../../../domain/claims/x12/837p/model';
import { validate837p } from '../../../domain/claims/x12/837p/validate';
import { AppError } from '../../../platform/errors';
import { claimBatches, claims, eligibilityFiles } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { getClinicInfo } from '../settings/clinic-info';
import { claimContext, scrub, statusAfterScrub, toModelAddress, toX12 } from './context';
import { claimLineRows, moveClaim, storeFile, type ClaimRow } from './rows';
import { primaryAdjudication } from './secondary';
import { getBillingProvider, getClearinghouseSettings, renderingProviderRow } from './setup';

/**
 * An 837P batch from the claims that are ready (docs/claims.md). Each claim is scrubbed again first (the
 * set-up may have changed since it was made): one the scrubber now refuses stays out, back to draft. The
 * interchange control number is the clinic's next (persisted with the batch, unique: the database refuses a
 * second batch with it, central refuses one from another workstation), the group number the same. The file
 * is checked by our implementation-guide validator before it is stored; the claims move to `sent` with the
 * batch in their history; central picks the file up and sends it (the workstation may be offline).
 */

export interface BuiltClaimsBatch {
  batchId: string;
  fileId: string;
  fileName: string;
  interchangeControlNumber: number;
  claimIds: string[];
  totalCents: number;
  /** Claims left out because the scrubber now refuses them. */
  skipped: { claimId: string; findings: ScrubFinding[] }[];
}

/** The clinic's next ISA13: 837P batches and 270 eligibility files share one sequence (one submitter id). */
export function nextInterchangeNumber(store: Store): number {
  const row = store.orm.select({ n: max(claimBatches.interchangeControlNumber) }).from(claimBatches).get();
  const e = store.orm.select({ n: max(eligibilityFiles.interchangeControlNumber) }).from(eligibilityFiles).get();
  const next = Math.max(row?.n ?? 0, e?.n ?? 0) + 1;
  if (next > 999_999_999) throw new AppError(409, 'control_numbers_exhausted', 'Interchange control numbers are used up.');
  return next;
}

export function buildBatch(store: Store, actor: Actor, input: { claimIds?: string[] } = {}): BuiltClaimsBatch {
  const clearinghouse = getClearinghouseSettings(store);
  if (!clearinghouse)
    throw new AppError(409, 'clearinghouse_not_set_up', 'Set up the clearinghouse (submitter and receiver ids) before building a batch.');
  const billing = getBillingProvider(store);
  if (!billing) throw new AppError(409, 'billing_provider_missing', 'Set up the billing provider before building a batch.');
  const clinicId = store.requireClinicId();
  const candidates = store.orm
    .select()
    .from(claims)
    .where(
      and(
        eq(claims.clinicId, clinicId),
        inArray(claims.status, [...SENDABLE_STATUSES]),
        isNull(claims.deletedAt),
        input.claimIds?.length ? inArray(claims.id, input.claimIds) : undefined,
      ),
    )
    .orderBy(claims.createdAt)
    .all();
  if (input.claimIds?.length && candidates.length !== new Set(input.claimIds).size)
    throw new AppError(409, 'claims_not_ready', 'Only claims that are ready (or ready with warnings) can go in a batch.');

  const skipped: BuiltClaimsBatch['skipped'] = [];
  const going: { claim: ClaimRow; x12: X12Claim; findings: ScrubFinding[] }[] = [];
  for (const claim of candidates) {
    const lines = claimLineRows(store, claim.id);
    const ctx = claimContext(store, claim, lines, clearinghouse.name);
    const findings = scrub(store, ctx);
    if (statusAfterScrub(findings) === 'draft') {
      skipped.push({ claimId: claim.id, findings });
      continue;
    }
    const rp = renderingProviderRow(store, claim.renderingProviderUserId)!;
    let x12 = toX12(ctx, { npi: rp.npi, taxonomy: rp.taxonomy });
    if (claim.primaryClaimId) {
      const adj = primaryAdjudication(store, claim, lines);
      x12 = {
        ...x12,
        otherCoverages: adj.otherCoverages,
        lines: x12.lines.map((l, i) => ({ ...l, adjudications: adj.lineAdjudications.get(lines[i]!.id) ?? [] })),
      };
    }
    going.push({ claim, x12, findings });
  }
  if (!going.length && !skipped.length) throw new AppError(409, 'nothing_to_send', 'No claim is ready to send.');

  const icn = nextInterchangeNumber(store);
  const now = DateTime.fromJSDate(store.now(), { zone: getClinicInfo(store).timeZone });
  const built = going.length
    ? build837p({
        envelope: {
          senderId: clearinghouse.senderId,
          receiverId: clearinghouse.receiverId,
          interchangeControlNumber: icn,
          groupControlNumber: icn,
          usage: clearinghouse.usage,
          createdDate: now.toISODate()!,
          createdTime: now.toFormat('HH:mm'),
          batchReference: `B${icn}`,
        },
        submitter: {
          name: billing.organizationName,
          id: clearinghouse.senderId,
          contactName: billing.contactName,
          contactPhone: billing.contactPhone,
        },
        receiver: { name: clearinghouse.name, id: clearinghouse.receiverId },
        billingProvider: {
          organizationName: billing.organizationName,
          npi: billing.npi,
          taxId: billing.taxId,
          taxonomy: billing.taxonomy,
          address: toModelAddress(billing.address),
        },
        payToProvider: billing.payToAddress ? { address: toModelAddress(billing.payToAddress) } : null,
        claims: going.map((g) => g.x12),
      })
    : null;
  if (built) {
    const check = validate837p(built.text);
    if (check.errors) {
      const first = check.issues.find((i) => i.severity === 'error')!;
      throw new AppError(
        422,
        'batch_invalid',
        `The batch failed our 837P checks (segment ${first.position}, ${first.segment}, loop ${first.loop}): ${first.message}`,
      );
    }
  }
  return store.write(actor, (w) => {
    for (const s of skipped) {
      const claim = candidates.find((c) => c.id === s.claimId)!;
      moveClaim(w, store, claim, 'rescrubbed', 'draft', {
        detail: { findings: s.findings.map((f) => f.code) },
        patch: { scrubFindings: JSON.stringify(s.findings) },
      });
    }
    if (!built) return { batchId: '', fileId: '', fileName: '', interchangeControlNumber: 0, claimIds: [], totalCents: 0, skipped };
    const fileName = `claims-${String(icn).padStart(9, '0')}.837`;
    const totalCents = going.reduce((a, g) => a + g.claim.totalCents, 0);
    const fileId = storeFile(w, store, {
      kind: 'x837p',
      direction: 'outbound',
      name: fileName,
      content: built.text,
      summary: { interchangeControlNumber: icn, claims: going.length, totalCents, segments: built.segmentCount },
    });
    const batchId = uuidv7();
    const at = store.nowIso();
    w.insert('claim_batches', {
      id: batchId,
      clinicId,
      interchangeControlNumber: icn,
      groupControlNumber: icn,
      fileId,
      claimCount: going.length,
      totalCents,
      status: 'queued',
      statusDetail: '',
      createdBy: actor.userId,
      createdAt: at,
      updatedAt: at,
    });
    going.forEach((g, i) =>
      moveClaim(w, store, g.claim, 'batched', 'sent', {
        fileId,
        // The transaction set it went in (5,000 claims a set), so a 999 rejecting one set finds its claims.
        detail: { batchId, interchangeControlNumber: icn, transactionSet: String(Math.floor(i / MAX_CLAIMS_PER_TRANSACTION) + 1).padStart(4, '0') },
        patch: { batchId, scrubFindings: JSON.stringify(g.findings) },
      }),
    );
    w.audit({ action: 'claims.batch', detail: { batchId, interchangeControlNumber: icn, claims: going.length, skipped: skipped.length } });
    return { batchId, fileId, fileName, interchangeControlNumber: icn, claimIds: going.map((g) => g.claim.id), totalCents, skipped };
  });
}
