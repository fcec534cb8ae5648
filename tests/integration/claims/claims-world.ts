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

// ---- inbound files written for tests (synthetic; the segment counts are computed) ---------------------------

const envelope = (gs01: string, guide: string, control: number, body: string[]) => {
  const st = [`ST*${body[0]}*0001${guide ? `*${guide}` : ''}`, ...body.slice(1)];
  const segs = [...st, `SE*${st.length + 1}*0001`];
  const isa13 = String(control).padStart(9, '0');
  return [
    `ISA*00*          *00*          *ZZ*OFFALLY        *ZZ*TESSERA01      *260310*0930*^*00501*${isa13}*0*T*:`,
    `GS*${gs01}*OFFALLY*TESSERA01*20260310*0930*${control}*X*${guide || '005010X221A1'}`,
    ...segs,
    `GE*1*${control}`,
    `IEA*1*${isa13}`,
  ].join('~\n') + '~\n';
};

const money = (cents: number) => (cents / 100).toFixed(2).replace(/\.00$/, '');

export interface EraLineSpec {
  code: string;
  modifiers?: string[];
  chargeCents: number;
  paidCents: number;
  lineControlNumber?: string;
  date?: string;
  cas?: [string, string, number][];
}
export interface EraClaimSpec {
  pcn: string;
  status: string;
  chargeCents: number;
  paidCents: number;
  patientCents?: number;
  payerClaimNumber?: string;
  lines: EraLineSpec[];
}

export function era835(spec: { control: number; trace: string; claims: EraClaimSpec[]; plb?: [string, number][]; paymentCents?: number }): string {
  const paid = spec.claims.reduce((a, c) => a + c.paidCents, 0) - (spec.plb ?? []).reduce((a, p) => a + p[1], 0);
  const body = [
    '835',
    `BPR*I*${money(spec.paymentCents ?? paid)}*C*ACH*CCP*01*011000015*DA*123456789*1999999999**01*021000021*DA*987654321*20260310`,
    `TRN*1*${spec.trace}*1999999999`,
    'N1*PR*ACME HEALTH PLAN',
    'N3*100 PAYER WAY',
    'N4*HARTFORD*CT*061010000',
    'N1*PE*HARBOR COUNSELING GROUP*XX*1234567893',
    'LX*1',
  ];
  for (const c of spec.claims) {
    body.push(`CLP*${c.pcn}*${c.status}*${money(c.chargeCents)}*${money(c.paidCents)}*${c.patientCents ? money(c.patientCents) : ''}*12*${c.payerClaimNumber ?? 'PC' + c.pcn.slice(-6)}`);
    body.push('NM1*QC*1*TESTPATIENT*ALPHA****MI*XJH123456789');
    for (const l of c.lines) {
      body.push(`SVC*HC:${[l.code, ...(l.modifiers ?? [])].join(':')}*${money(l.chargeCents)}*${money(l.paidCents)}**1`);
      body.push(`DTM*472*${(l.date ?? '2026-03-02').replace(/-/g, '')}`);
      const groups = new Map<string, [string, number][]>();
      for (const [g, r, a] of l.cas ?? []) groups.set(g, [...(groups.get(g) ?? []), [r, a]]);
      for (const [g, rs] of groups) body.push(`CAS*${g}*${rs.map(([r, a]) => `${r}*${money(a)}`).join('**')}`);
      if (l.lineControlNumber) body.push(`REF*6R*${l.lineControlNumber}`);
    }
  }
  for (const [reason, cents] of spec.plb ?? []) body.push(`PLB*1234567893*20261231*${reason}:REF1*${money(cents)}`);
  return envelope('HP', '', spec.control, body);
}

export function ack999(spec: { control: number; group: number; accepted: boolean }): string {
  const body = spec.accepted
    ? ['999', `AK1*HC*${spec.group}*005010X222A1`, 'AK2*837*0001*005010X222A1', 'IK5*A', 'AK9*A*1*1*1']
    : ['999', `AK1*HC*${spec.group}*005010X222A1`, 'AK2*837*0001*005010X222A1', 'IK3*NM1*23*2010BA*8', 'IK4*9*67*7*ZZ', 'IK5*R*5', 'AK9*R*1*1*0'];
  return envelope('FA', '005010X231A1', spec.control, body);
}

export function ack277(spec: { control: number; claims: { pcn: string; accepted: boolean; payerClaimNumber?: string }[] }): string {
  const body = ['277', 'BHT*0085*08*4101*20260310*0930*TH', 'HL*1**20*1', 'NM1*PR*2*ACME HEALTH PLAN*****PI*60054', 'TRN*1*4101', 'DTP*050*D8*20260310', 'DTP*009*D8*20260310', 'HL*2*1*21*1', 'NM1*41*2*HARBOR COUNSELING GROUP*****46*TESSERA01', 'TRN*2*4101', 'STC*A1:19*20260310*WQ*0', 'HL*3*2*19*1', 'NM1*85*2*HARBOR COUNSELING GROUP*****XX*1234567893'];
  let hl = 4;
  for (const c of spec.claims) {
    body.push(`HL*${hl++}*3*PT`, 'NM1*QC*1*TESTPATIENT*ALPHA****MI*XJH123456789', `TRN*2*${c.pcn}`);
    body.push(c.accepted ? 'STC*A2:20*20260310*WQ*0' : 'STC*A7:164:IL*20260310*U*0');
    if (c.payerClaimNumber) body.push(`REF*1K*${c.payerClaimNumber}`);
  }
  return envelope('HN', '005010X214', spec.control, body);
}
