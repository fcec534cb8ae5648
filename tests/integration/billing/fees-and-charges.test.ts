import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chargeLines, feeScheduleEntries, ledgerEntries, serviceCodes } from '../../../server/workstation/db/schema';
import { auditEntries, clinicalWorld, ok, soapDraft, type ClinicalWorld } from '../clinical/support';
import { book, chicago, newPatient } from '../scheduling/support';

/**
 * Billing set-up and visit charges through the HTTP API (docs/billing.md): codes, fees, place-of-service
 * rules and type defaults; lines proposed at check-in, edited, the visit closed (charges posted to the
 * ledger), corrected by reversal; the payment policy at "With provider", "Start visit" and note signing.
 */

let w: ClinicalWorld;
beforeAll(async () => {
  w = await clinicalWorld();
});
afterAll(async () => {
  await w?.t.stop();
});

const checkIn = { demographicsConfirmed: true, insuranceReviewed: true, copayDueCents: 0 };
const db = () => w.t.server.store.orm;
const count = (t: typeof serviceCodes | typeof feeScheduleEntries) => db().select().from(t).all().length;

async function code(value: string, description: string, cents: number) {
  const c = ok(await w.admin.call('createServiceCode', { body: { code: value, description } }), 201);
  ok(await w.admin.call('createFee', { body: { serviceCodeId: c.id, scope: 'practice', amountCents: cents } }), 201);
  return c.id as string;
}

/** Book today 09:00 (or another time) with Dr Lee, check in; answers appointment and encounter ids. */
async function visit(patientId: string, time = '09:00', copayDueCents = 0) {
  const appt = ok(
    await book(w, w.desk, { patientId, appointmentTypeId: w.followUp, startsAt: chicago('2026-03-02', time) }),
    201,
  ).appointment;
  ok(await w.desk.call('changeVisitStatus', { params: { id: appt.id }, body: { to: 'arrived' } }));
  ok(
    await w.desk.call('changeVisitStatus', {
      params: { id: appt.id },
      body: { to: 'checked_in', checkIn: { ...checkIn, copayDueCents } },
    }),
  );
  const enc = ok(await w.lee.client.call('createEncounterFromAppointment', { params: { id: appt.id } }), 201);
  return { appointmentId: appt.id as string, encounterId: enc.id as string };
}

let psych: string;
let addon: string;

describe('billing set-up', () => {
  it('adds service codes; a duplicate, bad input or the wrong role is refused with a sentence and nothing stored', async () => {
    psych = await code('90834', 'Psychotherapy, 45 minutes', 15000);
    addon = await code('90785', 'Interactive complexity', 2500);
    const before = count(serviceCodes);

    const dup = await w.admin.call('createServiceCode', { body: { code: ' 90834 ', description: 'Again' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields.code).toMatch(/already set up/);

    const bad = await w.admin.call('createServiceCode', { body: { code: '90 834!', description: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.code).toMatch(/letters, digits/);
    expect(bad.body.error.fields.description).toMatch(/Describe the service/);

    const units = await w.admin.call('createServiceCode', { body: { code: 'X1', description: 'X', defaultUnits: 0 } });
    expect(units.status).toBe(400);
    expect(units.body.error.fields.defaultUnits).toBe('At least 1 unit.');

    const desk = await w.desk.call('createServiceCode', { body: { code: 'X2', description: 'Desk code' } });
    expect(desk.status).toBe(403);
    expect(count(serviceCodes)).toBe(before);

    const list = ok(await w.lee.client.call('listServiceCodes')).serviceCodes;
    expect(list.map((c: { code: string; practiceFeeCents: number }) => [c.code, c.practiceFeeCents])).toEqual([
      ['90785', 2500],
      ['90834', 15000],
    ]);
  });

  it('keeps fees in whole cents: fractions, negatives and a sliding scale without an end date are refused', async () => {
    const before = count(feeScheduleEntries);
    const half = await w.admin.call('createFee', { body: { serviceCodeId: psych, scope: 'practice', amountCents: 100.5 } });
    expect(half.status).toBe(400);
    expect(half.body.error.fields.amountCents).toBe('Enter the amount in whole cents.');
    const neg = await w.admin.call('createFee', { body: { serviceCodeId: psych, scope: 'practice', amountCents: -1 } });
    expect(neg.body.error.fields.amountCents).toBe('The amount cannot be negative.');
    const open = await w.admin.call('createFee', {
      body: { serviceCodeId: psych, scope: 'patient', patientId: w.patientId, amountCents: 4000 },
    });
    expect(open.status).toBe(400);
    expect(open.body.error.fields.endsOn).toMatch(/needs an end date/);
    const noProvider = await w.admin.call('createFee', { body: { serviceCodeId: psych, scope: 'provider', amountCents: 1 } });
    expect(noProvider.body.error.fields.providerUserId).toBe('Choose the provider.');
    const same = await w.admin.call('createFee', { body: { serviceCodeId: psych, scope: 'practice', amountCents: 9 } });
    expect(same.status).toBe(409);
    expect(count(feeScheduleEntries)).toBe(before);
  });

  it('edits place-of-service rules per payer, with the built-in defaults listed', async () => {
    const list = ok(await w.biller.client.call('listPosRules'));
    expect(list.rules).toEqual([]);
    expect(list.defaults).toContainEqual({ modality: 'telehealth_other', placeOfService: '02', modifiers: ['95'] });
    const rule = ok(
      await w.biller.client.call('createPosRule', {
        body: { payerId: 'acme01', modality: 'audio_only', placeOfService: '02', modifiers: ['fq'] },
      }),
      201,
    );
    expect(rule).toMatchObject({ payerId: 'ACME01', modifiers: ['FQ'] });
    const bad = await w.biller.client.call('createPosRule', {
      body: { modality: 'office', placeOfService: '1', modifiers: ['95', '95'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.placeOfService).toMatch(/two-digit/);
    expect(bad.body.error.fields.modifiers).toBe('Each modifier once.');
    const dup = await w.biller.client.call('createPosRule', {
      body: { payerId: 'ACME01', modality: 'audio_only', placeOfService: '10' },
    });
    expect(dup.status).toBe(409);
    ok(await w.biller.client.call('removePosRule', { params: { id: rule.id } }));
  });

  it('sets the default codes of an appointment type', async () => {
    const type = ok(
      await w.biller.client.call('setTypeCodes', {
        params: { id: w.followUp },
        body: { codes: [{ serviceCodeId: psych, units: 1 }] },
      }),
    );
    expect(type.codes.map((c: { code: string }) => c.code)).toEqual(['90834']);
    const twice = await w.biller.client.call('setTypeCodes', {
      params: { id: w.followUp },
      body: { codes: [{ serviceCodeId: psych, units: 1 }, { serviceCodeId: psych, units: 2 }] },
    });
    expect(twice.status).toBe(400);
  });
});

describe('charges on a visit', () => {
  let patientId: string;
  let v: { appointmentId: string; encounterId: string };

  it('proposes the type’s codes at check-in, priced from the schedule, place of service from the modality', async () => {
    patientId = await newPatient(w.desk);
    v = await visit(patientId);
    const charges = ok(await w.lee.client.call('getVisitCharges', { params: { id: v.encounterId } }));
    expect(charges).toMatchObject({ modality: 'office', placeOfService: '11', closedAt: null, totalCents: 15000 });
    expect(charges.lines).toEqual([
      expect.objectContaining({
        code: '90834',
        units: 1,
        unitFeeCents: 15000,
        amountCents: 15000,
        feeSource: 'practice',
        modifiers: [],
        diagnosisPointers: [1],
        placeOfService: '11',
        status: 'draft',
        renderingProviderUserId: w.lee.id,
        dateOfService: '2026-03-02',
      }),
    ]);
    const reads = await auditEntries(w.admin, { action: 'charges.read', patientId });
    expect(reads.length).toBe(1);
    // Checkout finds the same visit by its appointment.
    const byAppointment = ok(await w.desk.call('getAppointmentCharges', { params: { id: v.appointmentId } }));
    expect(byAppointment.encounterId).toBe(v.encounterId);
    const none = await w.desk.call('getAppointmentCharges', { params: { id: crypto.randomUUID() } });
    expect(none.status).toBe(404);
  });

  it('uses a patient’s sliding scale over the practice rate', async () => {
    const other = await newPatient(w.desk);
    ok(
      await w.admin.call('createFee', {
        body: { serviceCodeId: psych, scope: 'patient', patientId: other, amountCents: 4000, endsOn: '2026-12-31' },
      }),
      201,
    );
    const v2 = await visit(other, '10:00');
    const charges = ok(await w.biller.client.call('getVisitCharges', { params: { id: v2.encounterId } }));
    expect(charges.lines[0]).toMatchObject({ unitFeeCents: 4000, feeSource: 'patient' });
  });

  it('edits lines: units re-price, telehealth brings POS 10 and modifier 95, bad pointers and modifiers are refused', async () => {
    const [line] = ok(await w.lee.client.call('getVisitCharges', { params: { id: v.encounterId } })).lines;
    const two = ok(
      await w.lee.client.call('updateChargeLine', { params: { id: v.encounterId, lineId: line.id }, body: { units: 2 } }),
    );
    expect(two.lines[0]).toMatchObject({ units: 2, amountCents: 30000 });
    expect(two.totalCents).toBe(30000);

    const tele = ok(
      await w.lee.client.call('setEncounterModality', { params: { id: v.encounterId }, body: { modality: 'telehealth_home' } }),
    );
    expect(tele).toMatchObject({ placeOfService: '10', posModifiers: ['95'] });
    expect(tele.lines[0]).toMatchObject({ placeOfService: '10', modifiers: ['95'] });

    const five = await w.lee.client.call('updateChargeLine', {
      params: { id: v.encounterId, lineId: line.id },
      body: { modifiers: ['25', '59', 'XU', 'GT', '95'] },
    });
    expect(five.status).toBe(400);
    expect(five.body.error.fields.modifiers).toBe('At most 4 modifiers on a line.');

    ok(await w.lee.client.call('setEncounterDiagnoses', { params: { id: v.encounterId }, body: { codes: ['F41.1'] } }));
    const pointer = await w.lee.client.call('updateChargeLine', {
      params: { id: v.encounterId, lineId: line.id },
      body: { diagnosisPointers: [1, 2] },
    });
    expect(pointer.status).toBe(400);
    expect(pointer.body.error.fields.diagnosisPointers).toMatch(/1 diagnosis; there is no diagnosis 2/);
    const after = ok(await w.lee.client.call('getVisitCharges', { params: { id: v.encounterId } }));
    expect(after.lines[0]).toMatchObject({ units: 2, diagnosisPointers: [1], modifiers: ['95'] });

    const added = ok(
      await w.lee.client.call('addChargeLine', { params: { id: v.encounterId }, body: { serviceCodeId: addon } }),
    );
    expect(added.lines.map((l: { code: string; modifiers: string[] }) => [l.code, l.modifiers])).toEqual([
      ['90834', ['95']],
      ['90785', ['95']],
    ]);
    expect(added.totalCents).toBe(32500);
    // The front desk reads them at checkout (billing.read).
    expect((await w.desk.call('getVisitCharges', { params: { id: v.encounterId } })).status).toBe(200);
  });

  it('closes the visit: each line becomes a charge on the patient’s account, and then only a reversal changes it', async () => {
    expect((await w.lee.client.call('closeVisit', { params: { id: v.encounterId } })).status).toBe(403);
    const closed = ok(await w.biller.client.call('closeVisit', { params: { id: v.encounterId } }));
    expect(closed.closedAt).not.toBeNull();
    expect(closed.lines.map((l: { status: string }) => l.status)).toEqual(['posted', 'posted']);
    const entries = db().select().from(ledgerEntries).where(eq(ledgerEntries.encounterId, v.encounterId)).all();
    expect(entries.map((e) => [e.kind, e.amountCents, e.responsibility, e.serviceDate])).toEqual([
      ['charge', 30000, 'patient', '2026-03-02'],
      ['charge', 2500, 'patient', '2026-03-02'],
    ]);
    expect(entries.map((e) => e.chargeLineId).sort()).toEqual(closed.lines.map((l: { id: string }) => l.id).sort());
    expect(entries.every((e) => e.memo === '')).toBe(true);

    const again = await w.biller.client.call('closeVisit', { params: { id: v.encounterId } });
    expect(again.status).toBe(409);
    const edit = await w.biller.client.call('updateChargeLine', {
      params: { id: v.encounterId, lineId: closed.lines[0].id },
      body: { units: 1 },
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toMatch(/Reverse a charge to correct it/);

    const noReason = await w.biller.client.call('reverseChargeLine', {
      params: { id: v.encounterId, lineId: closed.lines[0].id },
      body: { reason: '' },
    });
    expect(noReason.status).toBe(400);
    const reversed = ok(
      await w.biller.client.call('reverseChargeLine', {
        params: { id: v.encounterId, lineId: closed.lines[0].id },
        body: { reason: 'Billed 2 units; 1 was given' },
      }),
    );
    expect(reversed.lines[0].status).toBe('reversed');
    expect(reversed.totalCents).toBe(2500);
    const corrected = ok(
      await w.biller.client.call('addChargeLine', { params: { id: v.encounterId }, body: { serviceCodeId: psych, units: 1 } }),
    );
    expect(corrected.lines.at(-1)).toMatchObject({ status: 'posted', amountCents: 15000 });
    const kinds = db()
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.patientId, patientId))
      .all()
      .map((e) => e.kind);
    expect(kinds).toEqual(['charge', 'charge', 'reversal', 'charge']);
    const closes = await auditEntries(w.admin, { action: 'visit.close', patientId });
    expect(closes[0]!.detail).toMatchObject({ lines: 2, totalCents: 32500 });
  });

  it('refuses to close a visit whose lines point at no diagnosis, and stores nothing', async () => {
    const p = await newPatient(w.desk);
    const v3 = await visit(p, '11:00');
    const res = await w.biller.client.call('closeVisit', { params: { id: v3.encounterId } });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/Add the visit’s diagnoses/);
    expect(db().select().from(ledgerEntries).where(eq(ledgerEntries.encounterId, v3.encounterId)).all()).toEqual([]);
    const lines = db().select().from(chargeLines).where(eq(chargeLines.encounterId, v3.encounterId)).all();
    expect(lines.map((l) => l.status)).toEqual(['draft']);
  });
});

describe('the payment policy', () => {
  const policy = (mode: 'off' | 'warn' | 'block') =>
    w.admin.call('updatePaymentPolicy', {
      body: { mode, atVisitStart: true, atNoteSigning: true, toleranceCents: 0, insuranceClears: true },
    });

  it('blocks "With provider" while the patient owes money; the front desk cannot override, a biller can with a reason', async () => {
    ok(await policy('block'));
    const p = await newPatient(w.desk);
    const appt = ok(await book(w, w.desk, { patientId: p, startsAt: chicago('2026-03-02', '13:00') }), 201).appointment;
    for (const to of ['arrived', 'checked_in', 'roomed'] as const)
      ok(
        await w.desk.call('changeVisitStatus', {
          params: { id: appt.id },
          body: { to, ...(to === 'checked_in' && { checkIn: { ...checkIn, copayDueCents: 2500 } }) },
        }),
      );
    const clearance = ok(
      await w.desk.call('getVisitClearance', { query: { appointmentId: appt.id, point: 'start_visit' } }),
    );
    expect(clearance).toMatchObject({ mode: 'block', cleared: false, dueCents: 2500, mayOverride: false });
    expect(clearance.message).toMatch(/owes \$25\.00/);

    const refused = await w.desk.call('changeVisitStatus', { params: { id: appt.id }, body: { to: 'with_provider' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('payment_policy_block');
    const ack = await w.desk.call('answerPaymentPolicy', {
      body: { appointmentId: appt.id, point: 'start_visit', kind: 'acknowledge' },
    });
    expect(ack.status).toBe(409);
    const deskOverride = await w.desk.call('answerPaymentPolicy', {
      body: { appointmentId: appt.id, point: 'start_visit', kind: 'override', reason: 'Pays next week' },
    });
    expect(deskOverride.status).toBe(403);
    const noReason = await w.biller.client.call('answerPaymentPolicy', {
      body: { appointmentId: appt.id, point: 'start_visit', kind: 'override', reason: ' ' },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toMatch(/Say why/);

    const overridden = ok(
      await w.biller.client.call('answerPaymentPolicy', {
        body: { appointmentId: appt.id, point: 'start_visit', kind: 'override', reason: 'Pays next week' },
      }),
    );
    expect(overridden).toMatchObject({ cleared: true, reason: 'overridden' });
    ok(await w.desk.call('changeVisitStatus', { params: { id: appt.id }, body: { to: 'with_provider' } }));
    const audit = await auditEntries(w.admin, { action: 'billing.policy_answer', patientId: p });
    expect(audit[0]!.detail).toMatchObject({ kind: 'override', reason: 'Pays next week', dueCents: 2500 });
    expect((await auditEntries(w.admin, { action: 'billing.policy_refused', patientId: p })).length).toBe(1);
  });

  it('counts insurance in effect as cleared', async () => {
    const p = await newPatient(w.desk);
    ok(
      await w.desk.call('createCoverage', {
        params: { id: p },
        body: {
          priority: 'primary',
          payerName: 'Acme Health',
          payerId: 'ACME01',
          memberId: 'M123',
          subscriberRelationship: 'self',
          effectiveFrom: '2026-01-01',
        },
      }),
      201,
    );
    const v4 = await visit(p, '14:00', 3000);
    const c = ok(await w.lee.client.call('getVisitClearance', { query: { encounterId: v4.encounterId, point: 'sign_note' } }));
    expect(c).toMatchObject({ cleared: true, reason: 'insurance_in_effect', dueCents: 3000, insuranceInEffect: true });
  });

  it('warns at note signing; the clinician continues and the note signs', async () => {
    ok(await policy('warn'));
    const p = await newPatient(w.desk);
    ok(await policy('off'));
    const v5 = await visit(p, '15:00', 2000);
    ok(await policy('warn'));
    const note = await soapDraft(w, w.lee.client, { patientId: p, encounterId: v5.encounterId });
    const warned = await w.lee.client.call('signNote', { params: { id: note.id }, body: { baseVersion: note.version } });
    expect(warned.status).toBe(409);
    expect(warned.body.error.code).toBe('payment_policy_warn');
    ok(
      await w.lee.client.call('answerPaymentPolicy', {
        body: { encounterId: v5.encounterId, point: 'sign_note', kind: 'acknowledge' },
      }),
    );
    ok(await w.lee.client.call('signNote', { params: { id: note.id }, body: { baseVersion: note.version } }));
    ok(await policy('off'));
  });

  it('refuses a policy with a bad mode or a fractional tolerance, and keeps the old one', async () => {
    const bad = await w.admin.call('updatePaymentPolicy', {
      body: { mode: 'sometimes', atVisitStart: true, atNoteSigning: true, toleranceCents: 0.5, insuranceClears: true },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.mode).toBe('Choose off, warn or block.');
    expect(bad.body.error.fields.toleranceCents).toBe('Enter the amount in whole cents.');
    expect(ok(await w.desk.call('getPaymentPolicy')).mode).toBe('off');
  });
});
