import fs from 'node:fs';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInterchange } from '../../../server/domain/claims/inbound/interchange';
import { systemActor } from '../../../server/workstation/db/store';
import { eligibilityChecks, eligibilityFiles } from '../../../server/workstation/db/schema';
import { nextInterchangeNumber } from '../../../server/workstation/services/claims/batch';
import {
  buildEligibilityRequest,
  importEligibilityResponse,
  patientEligibility,
} from '../../../server/workstation/services/claims/eligibility';
import { parseWithOracle } from '../../fixtures/claims/oracle';
import { claimsWorld, type ClaimsWorld } from './claims-world';

/**
 * Eligibility on files: the 270 for a day's appointments (one request per coverage in effect; self-pay and
 * cancelled visits left out) read back by our envelope reader and by the independent x12-parser; a 271 whose
 * answers carry our traces stored per coverage without names or member ids; unknown traces counted, not guessed.
 */
let w: ClaimsWorld;
beforeEach(() => {
  w = claimsWorld();
});
afterEach(() => w.close());

const fixture271 = fs.readFileSync(path.resolve(__dirname, '../../fixtures/claims/eligibility-active.271'), 'utf8');

function appointment(patientId: string, startsAt: string, status: 'scheduled' | 'cancelled' = 'scheduled') {
  const id = uuidv7();
  const now = w.store.nowIso();
  w.store.write(systemActor, (x) =>
    x.insert('appointments', {
      id,
      clinicId: w.clinicId,
      patientId,
      providerId: w.clinicianId,
      appointmentTypeId: uuidv7(),
      locationId: uuidv7(),
      startsAt,
      endsAt: startsAt.replace(/T(\d\d)/, (_, h: string) => `T${String(Number(h) + 1).padStart(2, '0')}`),
      timeZone: 'America/Chicago',
      modality: 'in_person',
      status,
      statusChangedAt: now,
      note: '',
      detached: false,
      lateCancel: false,
      createdAt: now,
      updatedAt: now,
    }),
  );
  return id;
}

describe('eligibility 270/271', () => {
  it("builds the day's 270, reads the 271 answers into each coverage's summary", async () => {
    const alone = w.insuredPatient();
    const both = w.insuredPatient({ secondary: true });
    const selfPay = w.patient();
    const cancelled = w.insuredPatient();
    appointment(alone, '2026-03-12T15:00:00.000Z');
    appointment(both, '2026-03-12T21:00:00.000Z');
    appointment(selfPay, '2026-03-12T16:00:00.000Z');
    appointment(cancelled, '2026-03-12T17:00:00.000Z', 'cancelled');
    appointment(alone, '2026-03-13T15:00:00.000Z'); // another day

    const built = buildEligibilityRequest(w.store, w.actor, '2026-03-12');
    expect(built).toMatchObject({ inquiries: 3, interchangeControlNumber: 1, fileName: 'eligibility-000000001.270' });
    expect(built.skipped).toEqual([expect.objectContaining({ reason: 'No insurance in effect on the day (self-pay).' })]);
    const checks = w.store.orm.select().from(eligibilityChecks).all();
    expect(checks.map((c) => c.status)).toEqual(['requested', 'requested', 'requested']);
    // The 837P batches and the 270s share one interchange sequence.
    expect(nextInterchangeNumber(w.store)).toBe(2);

    // Our envelope reader and x12-parser agree; each request is traced by its check id, never patient data.
    const ix = readInterchange(built.content);
    expect(ix.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(ix.sets.map((s) => s.type)).toEqual(['270', '270']); // one per payer: Acme, State Medicaid
    const oracle = await parseWithOracle(built.content);
    // X12 text is upper case: the trace is the check id spelled in capitals (the 271 echoes it so).
    const traces = oracle.filter((s) => s.id === 'TRN').map((s) => s.elements[1]);
    expect(traces.sort()).toEqual(checks.map((c) => c.id.toUpperCase()).sort());
    expect(oracle.filter((s) => s.id === 'EQ').map((s) => s.elements[0])).toEqual(['30', '30', '30']);
    expect(oracle.find((s) => s.id === 'NM1' && s.elements[0] === '1P')?.elements).toContain('1234567893');

    // The 271 answers the first two requests; a third answer names a trace of nobody's.
    const first = checks.find((c) => c.patientId === alone);
    const second = checks.find((c) => c.patientId === both);
    const answer = fixture271.replace('APPT-0001', first!.id.toUpperCase()).replace('APPT-0002', second!.id);
    const stranger = fixture271.replace('APPT-0001', uuidv7()).replace('APPT-0002', uuidv7()).replace(/000000106/g, '000000107');
    const read = importEligibilityResponse(w.store, w.actor, 'answers.271', answer);
    expect(read).toMatchObject({ answered: 2, unknownTraces: 0, byStatus: { active: 1, inactive: 1 } });
    expect(importEligibilityResponse(w.store, w.actor, 'other.271', stranger)).toMatchObject({ answered: 0, unknownTraces: 2 });

    const mine = patientEligibility(w.store, w.actor, first!.patientId).checks.find((c) => c.id === first!.id)!;
    expect(mine).toMatchObject({ status: 'active', serviceDate: '2026-03-12', coverageId: first!.coverageId });
    expect(mine.summary).toMatchObject({
      planName: 'GOLD PPO 1500',
      deductible: { individualTotalCents: 150000, individualRemainingCents: 124050, familyRemainingCents: 280000 },
    });
    expect(mine.summary!.copays).toContainEqual(expect.objectContaining({ amountCents: 2500, network: 'in' }));
    expect(JSON.stringify(mine.summary)).not.toMatch(/TESTPATIENT|W000000101/);
    const other = w.store.orm.select().from(eligibilityChecks).all().find((c) => c.id === second!.id)!;
    expect(other.status).toBe('inactive');
    // The third request still waits; nothing was guessed for the unknown traces.
    expect(w.store.orm.select().from(eligibilityChecks).all().filter((c) => c.status === 'requested')).toHaveLength(1);
    expect(w.store.orm.select().from(eligibilityFiles).all().map((f) => f.kind)).toEqual(['x270', 'x271', 'x271']);
  });

  it('refuses a day without appointments and a file that is not a 271, storing nothing', () => {
    expect(() => buildEligibilityRequest(w.store, w.actor, '2026-03-12')).toThrow('There are no appointments that day.');
    expect(() => importEligibilityResponse(w.store, w.actor, 'x.271', 'not x12')).toThrow(/holds no 271/);
    const err = (() => {
      try {
        importEligibilityResponse(w.store, w.actor, 'x.271', 'not x12');
      } catch (e) {
        return e as { status: number; fields: Record<string, string> };
      }
    })();
    expect(err).toMatchObject({ status: 400, fields: { content: expect.stringMatching(/holds no 271/) } });
    expect(w.store.orm.select().from(eligibilityFiles).all()).toEqual([]);
  });
});
