import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCodeSetRelease } from '../../fixtures/icd10cm';
import { book, chicago, newPatient } from '../scheduling/support';
import { auditEntries, clinicalWorld, ok, soapDraft, templateId, type ClinicalWorld } from './support';

let w: ClinicalWorld;
beforeAll(async () => {
  w = await clinicalWorld();
});
afterAll(async () => {
  await w?.t.stop();
});

const checkIn = { demographicsConfirmed: true, insuranceReviewed: true, copayDueCents: 0 };

describe('opening a chart', () => {
  it('answers the summary and the first timeline page, audited as chart.open; front desk and billing cannot', async () => {
    const patientId = await newPatient(w.desk);
    const chart = ok(await w.lee.client.call('getChart', { params: { id: patientId } }));
    expect(chart.patient.id).toBe(patientId);
    expect(chart).toMatchObject({
      problems: [],
      allergies: [],
      medications: [],
      vitals: [],
      alerts: [],
      treatmentPlans: [],
    });
    expect(chart.timeline).toEqual({ items: [], nextCursor: null });
    expect(chart.codeSet).toMatchObject({
      name: 'ICD-10-CM',
      coverage: 'partial',
      codeCount: 35,
      release: sampleCodeSetRelease,
    });
    const opens = await auditEntries(w.admin, { action: 'chart.open', patientId });
    expect(opens.map((e) => e.userId)).toEqual([w.lee.id]);

    for (const client of [w.desk, w.biller.client]) {
      const res = await client.call('getChart', { params: { id: patientId } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('pages the timeline newest first with a stable cursor, encounters carrying their notes', async () => {
    const patientId = await newPatient(w.desk);
    const ids: string[] = [];
    for (let day = 1; day <= 7; day++) {
      const e = ok(
        await w.lee.client.call('createEncounter', {
          body: {
            patientId,
            providerId: w.lee.id,
            dateOfService: `2026-02-0${day}`,
            startTime: '10:00',
            reason: `Visit ${day}`,
          },
        }),
        201,
      );
      ids.push(e.id);
    }
    const withNote = await soapDraft(w, w.lee.client, { patientId, encounterId: ids[6] });
    const first = ok(
      await w.lee.client.call('getChartTimeline', { params: { id: patientId }, query: { limit: 3 } }),
    );
    expect(first.items.map((i: { encounter: { reason: string } }) => i.encounter.reason)).toEqual([
      'Visit 7',
      'Visit 6',
      'Visit 5',
    ]);
    expect(first.items[0].encounter.notes.map((n: { id: string }) => n.id)).toEqual([withNote.id]);
    // Something documented between page loads does not shift the next page.
    ok(
      await w.lee.client.call('createEncounter', {
        body: {
          patientId,
          providerId: w.lee.id,
          dateOfService: '2026-02-09',
          startTime: '10:00',
          reason: 'Visit 9',
        },
      }),
      201,
    );
    const second = ok(
      await w.lee.client.call('getChartTimeline', {
        params: { id: patientId },
        query: { limit: 3, cursor: first.nextCursor },
      }),
    );
    expect(second.items.map((i: { encounter: { reason: string } }) => i.encounter.reason)).toEqual([
      'Visit 4',
      'Visit 3',
      'Visit 2',
    ]);
    const third = ok(
      await w.lee.client.call('getChartTimeline', {
        params: { id: patientId },
        query: { limit: 3, cursor: second.nextCursor },
      }),
    );
    expect(third.items).toHaveLength(1);
    expect(third.nextCursor).toBeNull();
    const bad = await w.lee.client.call('getChartTimeline', {
      params: { id: patientId },
      query: { cursor: 'nonsense' },
    });
    expect(bad.status).toBe(400);
  });
});

describe('problem list with ICD-10-CM codes', () => {
  it('codes problems from the code set (its description, its release) and refuses codes it does not have', async () => {
    const patientId = await newPatient(w.desk);
    const search = ok(await w.lee.client.call('searchIcd10', { query: { q: 'generalized anx' } }));
    expect(search.matches[0]).toEqual({
      code: 'F41.1',
      description: 'Generalized anxiety disorder',
      billable: true,
    });
    const byCode = ok(await w.lee.client.call('searchIcd10', { query: { q: 'f33', limit: 3 } }));
    expect(byCode.matches.map((m: { code: string }) => m.code)).toEqual(['F33.0', 'F33.1', 'F33.2']);
    expect(byCode.more).toBe(true);

    const problem = ok(
      await w.lee.client.call('createProblem', {
        params: { id: patientId },
        body: { code: 'f411', onsetDate: '2025-12-01' },
      }),
      201,
    );
    expect(problem).toMatchObject({
      code: 'F41.1',
      description: 'Generalized anxiety disorder',
      codeSetRelease: sampleCodeSetRelease,
      status: 'active',
      onsetDate: '2025-12-01',
      recordedBy: { id: w.lee.id },
    });
    const again = await w.lee.client.call('createProblem', {
      params: { id: patientId },
      body: { code: 'F41.1' },
    });
    expect(again.status).toBe(409);
    const unknown = await w.lee.client.call('createProblem', {
      params: { id: patientId },
      body: { code: 'F99' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields.code).toMatch(/not among the 35 ICD-10-CM codes installed/);
    const malformed = await w.lee.client.call('createProblem', {
      params: { id: patientId },
      body: { code: 'anxiety' },
    });
    expect(malformed.status).toBe(400);

    const resolved = ok(
      await w.lee.client.call('updateProblem', { params: { id: problem.id }, body: { status: 'resolved' } }),
    );
    expect(resolved).toMatchObject({ status: 'resolved', resolvedDate: '2026-03-02' });
    ok(
      await w.lee.client.call('updateProblem', {
        params: { id: problem.id },
        body: { enteredInError: true },
      }),
    );
    expect(ok(await w.lee.client.call('getChart', { params: { id: patientId } })).problems).toEqual([]);
    const changes = await auditEntries(w.admin, { action: 'chart.update', patientId });
    expect(changes.map((e) => e.detail.change)).toEqual(['added', 'changed', 'entered_in_error']);
    expect(JSON.stringify(changes)).not.toMatch(/anxiety/i);
  });
});

describe('allergies, medications, vitals and alerts', () => {
  it('records "no known allergies" as a statement, retired when an allergy is recorded', async () => {
    const patientId = await newPatient(w.desk);
    const nka = ok(
      await w.lee.client.call('createAllergy', { params: { id: patientId }, body: { type: 'nka' } }),
      201,
    );
    expect(nka).toMatchObject({ type: 'nka', allergen: 'No known allergies', status: 'active' });
    const pcn = ok(
      await w.lee.client.call('createAllergy', {
        params: { id: patientId },
        body: { type: 'drug', allergen: 'Penicillin', reaction: 'Hives', severity: 'moderate' },
      }),
      201,
    );
    const chart = ok(await w.lee.client.call('getChart', { params: { id: patientId } }));
    expect(chart.allergies.map((a: { type: string; status: string }) => [a.type, a.status])).toEqual([
      ['nka', 'inactive'],
      ['drug', 'active'],
    ]);
    const conflict = await w.lee.client.call('createAllergy', {
      params: { id: patientId },
      body: { type: 'nka' },
    });
    expect(conflict.status).toBe(409);
    const missing = await w.lee.client.call('createAllergy', {
      params: { id: patientId },
      body: { type: 'food' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.allergen).toBe('Name the allergen.');
    expect(pcn.id).toBeTruthy();
  });

  it('keeps reported medications with stop dates', async () => {
    const patientId = await newPatient(w.desk);
    const med = ok(
      await w.lee.client.call('createMedication', {
        params: { id: patientId },
        body: {
          name: 'Sertraline',
          dose: '50 mg',
          route: 'oral',
          frequency: 'daily',
          startDate: '2026-01-10',
        },
      }),
      201,
    );
    const stopped = ok(
      await w.lee.client.call('updateMedication', { params: { id: med.id }, body: { status: 'stopped' } }),
    );
    expect(stopped).toMatchObject({ status: 'stopped', stopDate: '2026-03-02', dose: '50 mg' });
  });

  it('stores vitals in one unit system whatever was typed, computes BMI, refuses implausible values', async () => {
    const patientId = await newPatient(w.desk);
    const v = ok(
      await w.lee.client.call('recordVitals', {
        params: { id: patientId },
        body: {
          systolic: 128,
          diastolic: 82,
          heartRate: 74,
          temperature: { value: 98.6, unit: 'F' },
          weight: { value: 154, unit: 'lb' },
          height: { value: 68, unit: 'in' },
          spo2: 98,
        },
      }),
    );
    expect(v).toMatchObject({
      systolic: 128,
      diastolic: 82,
      temperatureC: 37,
      weightKg: 69.853,
      heightCm: 172.7,
      bmi: 23.4,
    });
    const wrongUnit = await w.lee.client.call('recordVitals', {
      params: { id: patientId },
      body: { temperature: { value: 98.6, unit: 'C' } },
    });
    expect(wrongUnit.status).toBe(400);
    expect(wrongUnit.body.error.fields.temperature).toMatch(/Check the unit/);
    const half = await w.lee.client.call('recordVitals', {
      params: { id: patientId },
      body: { systolic: 120 },
    });
    expect(half.status).toBe(400);
    expect(half.body.error.fields.diastolic).toMatch(/both blood pressure/);
    w.t.clock.advance(60_000);
    const later = ok(
      await w.lee.client.call('recordVitals', {
        params: { id: patientId },
        body: { weight: { value: 70.5, unit: 'kg' } },
      }),
    );
    ok(
      await w.lee.client.call('markVitalsInError', {
        params: { id: v.id },
        body: { reason: 'Wrong patient' },
      }),
    );
    const list = ok(await w.lee.client.call('listVitals', { params: { id: patientId } }));
    expect(list.vitals.map((x: { id: string }) => x.id)).toEqual([later.id]);
  });

  it('shows alerts in the banner to anyone who may open the patient, including the front desk', async () => {
    const patientId = await newPatient(w.desk);
    ok(
      await w.lee.client.call('createAlert', {
        params: { id: patientId },
        body: { text: 'Needs an interpreter (Spanish)', severity: 'info' },
      }),
      201,
    );
    const fall = ok(
      await w.lee.client.call('createAlert', {
        params: { id: patientId },
        body: { text: 'Fall risk', severity: 'critical' },
      }),
      201,
    );
    const forDesk = ok(await w.desk.call('getPatientAlerts', { params: { id: patientId } }));
    expect(forDesk.alerts.map((a: { text: string }) => a.text)).toEqual([
      'Fall risk',
      'Needs an interpreter (Spanish)',
    ]);
    expect(
      (await w.desk.call('createAlert', { params: { id: patientId }, body: { text: 'x' } })).status,
    ).toBe(403);
    ok(await w.lee.client.call('updateAlert', { params: { id: fall.id }, body: { active: false } }));
    expect(
      ok(await w.biller.client.call('getPatientAlerts', { params: { id: patientId } })).alerts,
    ).toHaveLength(1);
  });
});

describe('encounters from checked-in appointments', () => {
  it('takes provider, patient, date, time and location from the visit, once per appointment, only after check-in', async () => {
    const patientId = await newPatient(w.desk);
    const booked = await book(w, w.desk, { patientId, startsAt: chicago('2026-03-02', '11:00') });
    expect(booked.status, booked.text).toBe(201);
    const appointmentId = booked.body.appointment.id as string;

    const early = await w.lee.client.call('createEncounterFromAppointment', {
      params: { id: appointmentId },
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('not_checked_in');

    for (const body of [
      { to: 'arrived' },
      { to: 'checked_in', checkIn },
      { to: 'roomed', roomId: w.roomA },
    ]) {
      ok(await w.desk.call('changeVisitStatus', { params: { id: appointmentId }, body }));
    }
    const day = ok(await w.lee.client.call('getMyClinicalDay'));
    const visit = day.visits.find((v: { appointmentId: string }) => v.appointmentId === appointmentId);
    // Check-in opened the visit's encounter: the clinician documents without starting it first.
    expect(visit).toMatchObject({
      status: 'roomed',
      encounterId: expect.any(String),
      locationName: 'Main clinic',
      patient: { id: patientId },
    });

    const encounter = ok(
      await w.lee.client.call('createEncounterFromAppointment', { params: { id: appointmentId } }),
      201,
    );
    expect(encounter).toMatchObject({
      patientId,
      provider: { id: w.lee.id },
      appointmentId,
      dateOfService: '2026-03-02',
      startAt: chicago('2026-03-02', '11:00'),
      timeZone: 'America/Chicago',
      locationName: 'Main clinic',
      type: 'office',
    });
    const same = ok(
      await w.okafor.client.call('createEncounterFromAppointment', { params: { id: appointmentId } }),
      201,
    );
    expect(same.id).toBe(encounter.id);
    expect(encounter.id).toBe(visit.encounterId);
    expect(
      ok(await w.lee.client.call('getMyClinicalDay')).visits.find(
        (v: { appointmentId: string }) => v.appointmentId === appointmentId,
      ).encounterId,
    ).toBe(encounter.id);
    const creates = await auditEntries(w.admin, { action: 'encounter.create', patientId });
    expect(creates).toHaveLength(1);
    expect(creates[0]!.detail).toEqual({ encounterId: encounter.id, appointmentId });
  });

  it('check-in opens the encounter; a new note attaches to it; undoing an undocumented check-in takes it back', async () => {
    const patientId = await newPatient(w.desk);
    const booked = await book(w, w.desk, { patientId, startsAt: chicago('2026-03-02', '14:00') });
    expect(booked.status, booked.text).toBe(201);
    const appointmentId = booked.body.appointment.id as string;
    const visitOf = async () =>
      ok(await w.lee.client.call('getMyClinicalDay')).visits.find(
        (v: { appointmentId: string }) => v.appointmentId === appointmentId,
      );
    expect((await visitOf()).encounterId).toBeNull();

    const step = (body: Record<string, unknown>) =>
      w.desk.call('changeVisitStatus', { params: { id: appointmentId }, body });
    ok(await step({ to: 'checked_in', checkIn }));
    const opened = (await visitOf()).encounterId as string;
    expect(opened).toEqual(expect.any(String));
    const chart = ok(await w.lee.client.call('getChart', { params: { id: patientId } }));
    const onChart = chart.timeline.items.filter((i: { kind: string }) => i.kind === 'encounter');
    expect(onChart.map((i: { encounter: { id: string } }) => i.encounter)).toMatchObject([
      { id: opened, appointmentId, dateOfService: '2026-03-02', provider: { id: w.lee.id } },
    ]);

    // Undo before anything was written: the encounter goes with the check-in, and a new check-in opens one.
    ok(await w.desk.call('undoVisitStatus', { params: { id: appointmentId } }));
    expect((await visitOf()).encounterId).toBeNull();
    ok(await step({ to: 'checked_in', checkIn }));
    const reopened = (await visitOf()).encounterId as string;
    expect(reopened).not.toBe(opened);

    // Once a note is written in it, undoing the check-in keeps the encounter (and the note's visit).
    ok(
      await w.lee.client.call('createNote', {
        body: { patientId, templateId: await templateId(w.lee.client, 'soap'), encounterId: reopened },
      }),
      201,
    );
    ok(await w.desk.call('undoVisitStatus', { params: { id: appointmentId } }));
    expect((await visitOf()).encounterId).toBe(reopened);
    ok(await step({ to: 'checked_in', checkIn }));
    expect((await visitOf()).encounterId).toBe(reopened);
  });

  it('refuses an ad hoc encounter with a provider who does not write notes', async () => {
    const patientId = await newPatient(w.desk);
    const res = await w.lee.client.call('createEncounter', {
      body: { patientId, providerId: w.biller.id, dateOfService: '2026-03-02' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.providerId).toMatch(/clinician who writes notes/);
  });
});
