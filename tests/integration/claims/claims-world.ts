import { v7 as uuidv7 } from 'uuid';
import { postCharges } from '../../../server/workstation/services/billing/ledger-bridge';
import { systemActor } from '../../../server/workstation/db/store';
import {
  saveBillingProvider,
  saveClearinghouseSettings,
  saveRenderingProvider,
  createPayer,
} from '../../../server/workstation/services/claims/setup';
import { ledgerStore, type LedgerStore } from '../billing/support';

/**
 * A workstation store set up for claims (synthetic people): clinic in Chicago, a clinician with NPI and
 * taxonomy, the billing provider, the clearinghouse, two payers, and a factory for closed visits whose
 * charges are posted to the ledger (as closing a visit does).
 */
export interface ClaimsWorld extends LedgerStore {
  clinicianId: string;
  acmeId: string;
  stateId: string;
  /** A patient with a primary coverage (Acme), and a secondary (State Medicaid) when asked. */
  insuredPatient: (opts?: { secondary?: boolean }) => string;
  /** A closed visit with posted charge lines; answers the encounter id and the charge line ids. */
  closedVisit: (patientId: string, lines: { code: string; cents: number; modifiers?: string[] }[], date?: string) => { encounterId: string; lineIds: string[] };
}

export function claimsWorld(): ClaimsWorld {
  return claimsWorldOn(ledgerStore(() => new Date('2026-03-10T15:00:00Z')));
}

type ClaimsFixtures = Omit<ClaimsWorld, keyof LedgerStore>;

/**
 * The same set-up on a store that exists already (a test workstation's): with `clinicianId`, that existing
 * staff account renders the visits and no staff rows are added.
 */
export function claimsWorldOn<B extends Pick<LedgerStore, 'store' | 'actor' | 'clinicId' | 'patient'>>(
  base: B,
  opts: { clinicianId?: string } = {},
): B & ClaimsFixtures {
  const { store, actor, clinicId } = base;
  const now = store.nowIso();
  const clinicianId = opts.clinicianId ?? uuidv7();
  store.write(systemActor, (w) => {
    w.setClinicSetting('clinic', { name: 'Harbor Counseling', timeZone: 'America/Chicago', timeFormat: '12h' });
    if (opts.clinicianId) return;
    for (const [id, name] of [
      [actor.userId, 'Bea Biller'],
      [clinicianId, 'Grace Okafor'],
    ] as const)
      w.insert('users', {
        id,
        clinicId,
        username: name.toLowerCase().replace(' ', '.'),
        fullName: name,
        passwordHash: 'x',
        roles: JSON.stringify(id === clinicianId ? ['clinician'] : ['biller']),
        active: true,
        recoveryCodeHashes: '[]',
        failedAttempts: 0,
        createdAt: now,
        updatedAt: now,
      });
  });
  saveBillingProvider(store, actor, {
    organizationName: 'Harbor Counseling Group',
    npi: '1234567893',
    taxId: '12-3456789',
    taxonomy: '101YM0800X',
    address: { line1: '100 Main St', city: 'Springfield', state: 'IL', postalCode: '62701-1234' },
    payToAddress: null,
    contactName: 'Billing Office',
    contactPhone: '(555) 010-2000',
  });
  saveRenderingProvider(store, actor, clinicianId, { npi: '9876543213', taxonomy: '103T00000X' });
  saveClearinghouseSettings(store, actor, { name: 'Office Ally', senderId: 'TESSERA01', receiverId: 'OFFALLY', usage: 'T' });
  const acmeId = createPayer(store, actor, {
    name: 'Acme Health Plan',
    clearinghouseIds: [{ clearinghouse: 'Office Ally', payerId: '60054' }],
    claimFilingIndicator: 'CI',
    claimEnrollment: 'enrolled',
    eraEnrollment: 'enrolled',
    timelyFilingDays: 365,
  }).id;
  const stateId = createPayer(store, actor, {
    name: 'State Medicaid',
    clearinghouseIds: [{ clearinghouse: 'Office Ally', payerId: 'SKIL0' }],
    claimFilingIndicator: 'MC',
    claimEnrollment: 'enrolled',
    eraEnrollment: 'enrolled',
    timelyFilingDays: 365,
  }).id;

  const coverage = (patientId: string, priority: string, payerName: string, payerId: string, memberId: string) =>
    store.write(systemActor, (w) =>
      w.insert('patient_coverages', {
        id: uuidv7(),
        clinicId,
        patientId,
        priority: priority as 'primary',
        payerName,
        payerId,
        memberId,
        groupNumber: 'GRP100',
        subscriberRelationship: 'self',
        effectiveFrom: '2026-01-01',
        createdAt: now,
        updatedAt: now,
      }),
    );
  const insuredPatient = (opts: { secondary?: boolean } = {}) => {
    const id = base.patient();
    store.write(systemActor, (w) =>
      w.update('patients', id, { sex: 'female', addressLine1: '12 Elm St', city: 'Springfield', state: 'IL', postalCode: '62704' }),
    );
    coverage(id, 'primary', 'Acme Health Plan', '60054', 'XJH123456789');
    if (opts.secondary) coverage(id, 'secondary', 'State Medicaid', 'SKIL0', 'SEC998877');
    return id;
  };

  const closedVisit: ClaimsWorld['closedVisit'] = (patientId, lines, date = '2026-03-02') => {
    const encounterId = uuidv7();
    const lineIds = lines.map(() => uuidv7());
    store.write(systemActor, (w) => {
      w.insert('encounters', {
        id: encounterId,
        clinicId,
        patientId,
        providerUserId: clinicianId,
        locationName: 'Main office',
        dateOfService: date,
        startAt: `${date}T15:00:00.000Z`,
        timeZone: 'America/Chicago',
        type: 'office',
        reason: '',
        diagnoses: JSON.stringify([{ code: 'F41.1', description: 'Generalized anxiety disorder' }, { code: 'Z63.0', description: 'Relationship distress' }]),
        createdBy: clinicianId,
        createdAt: now,
        updatedAt: now,
        closedAt: now,
        closedBy: clinicianId,
      });
      lines.forEach((l, i) =>
        w.insert('charge_lines', {
          id: lineIds[i]!,
          clinicId,
          encounterId,
          patientId,
          serviceCodeId: uuidv7(),
          code: l.code,
          description: l.code,
          units: 1,
          modifiers: JSON.stringify(l.modifiers ?? []),
          diagnosisPointers: '[1]',
          renderingProviderUserId: clinicianId,
          dateOfService: date,
          placeOfService: '11',
          unitFeeCents: l.cents,
          amountCents: l.cents,
          feeSource: 'practice',
          status: 'draft',
          position: i + 1,
          createdAt: now,
          updatedAt: now,
        }),
      );
    });
    const posted = postCharges(
      store,
      actor,
      lines.map((l, i) => ({ chargeLineId: lineIds[i]!, patientId, encounterId, appointmentId: null, amountCents: l.cents, serviceDate: date, providerUserId: clinicianId, locationId: null })),
    );
    store.write(systemActor, (w) => {
      for (const id of lineIds) w.update('charge_lines', id, { status: 'posted', ledgerEntryId: posted.get(id)! });
    });
    return { encounterId, lineIds };
  };

  return { ...base, clinicianId, acmeId, stateId, insuredPatient, closedVisit };
}

// The inbound files (835, 999, 277CA) written for tests live with the fixtures, so the e2e can write them too.
export { ack277, ack999, era835, type EraClaimSpec, type EraLineSpec } from '../../fixtures/claims/inbound-files';

/** The claims set-up on a synced test workstation: its first staff account renders the visits. */
export function claimsWorldOnWorkstation(store: LedgerStore['store'], lastName: string) {
  const adminId = (store.db.prepare('SELECT id FROM users LIMIT 1').get() as { id: string }).id;
  let n = 0;
  return claimsWorldOn(
    {
      store,
      clinicId: store.requireClinicId(),
      actor: { userId: adminId, username: 'admin' },
      patient: () => {
        const id = uuidv7();
        n++;
        store.write(systemActor, (w) =>
          w.insert('patients', {
            id,
            clinicId: store.requireClinicId(),
            mrn: String(300000000 + n),
            legalFirstName: `Pat${n}`,
            legalLastName: lastName,
            dateOfBirth: '1980-02-29',
            restricted: false,
            createdAt: store.nowIso(),
            updatedAt: store.nowIso(),
          }),
        );
        return id;
      },
    },
    { clinicianId: adminId },
  );
}
