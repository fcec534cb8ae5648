import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addStaff, startSignedInAdmin, type TestClient, type TestServer } from '../../support/workstation';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

interface AuditEntry {
  seq: number;
  at: string;
  userId: string | null;
  action: string;
  outcome: string;
  patientId: string | null;
  detail: Record<string, unknown>;
}

async function auditFor(admin: TestClient, patientId: string): Promise<AuditEntry[]> {
  const res = await admin.call('auditReport', { query: { patientId, sort: 'at', dir: 'asc', limit: 1000 } });
  expect(res.status).toBe(200);
  return res.body.entries;
}

/** A clinic with a restricted patient (registered by the front desk), a clinician and a second clinician. */
async function clinic() {
  const s = await startSignedInAdmin();
  t = s.t;
  // A longer idle time-out, so the 60-minute grant can be walked to its end within one session.
  expect((await s.admin.call('updateSecuritySettings', { body: { idleTimeoutMinutes: 120 } })).status).toBe(
    200,
  );
  const desk = await addStaff(t, s.admin, 'fran.desk', ['front_desk']);
  const clin = await addStaff(t, s.admin, 'carl.clin', ['clinician']);
  const other = await addStaff(t, s.admin, 'cleo.clin', ['clinician']);
  const created = await desk.client.call('createPatient', {
    body: { legalFirstName: 'Rhea', legalLastName: 'Stricted', dateOfBirth: '1969-07-20', restricted: true },
  });
  expect(created.status).toBe(201);
  expect(created.body.restricted).toBe(true);
  return { ...s, t: s.t, desk, clin, other, patientId: created.body.id as string };
}

describe('restricted records and break-glass access', () => {
  it('refuses a clinician without a grant with restricted_record, audited as access.denied', async () => {
    const c = await clinic();
    const res = await c.clin.client.call('getPatient', { params: { id: c.patientId } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('restricted_record');
    expect(res.body.error.message).toMatch(/emergency access/);
    // The refusal gives nothing of the record away.
    expect(res.text).not.toMatch(/Rhea|Stricted|1969/);

    const entries = await auditFor(c.admin, c.patientId);
    const denied = entries.filter((e) => e.action === 'access.denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ userId: c.clin.user.id, outcome: 'denied', patientId: c.patientId });
    expect(denied[0]!.detail).toEqual({ reason: 'restricted_record' });
    expect(entries.some((e) => e.action === 'patient.read')).toBe(false);
  });

  it('does not let the front desk break the glass (no emergency.access permission)', async () => {
    const c = await clinic();
    const res = await c.desk.client.call('emergencyAccess', {
      body: { patientId: c.patientId, reason: 'Patient says it is fine to look' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    // No grant came of it.
    expect((await c.desk.client.call('getPatient', { params: { id: c.patientId } })).status).toBe(403);
    const denied = await c.admin.call('auditReport', {
      query: { action: 'access.denied', userId: c.desk.user.id },
    });
    expect(denied.body.entries.map((e: AuditEntry) => e.detail.permission)).toContain('emergency.access');
    const grants = await c.admin.call('auditReport', { query: { action: 'emergency.access' } });
    expect(grants.body.total).toBe(0);
  });

  it('requires a real reason, then opens the record for that clinician only, audited with the reason', async () => {
    const c = await clinic();
    for (const reason of ['', 'too short', '         x         ']) {
      const res = await c.clin.client.call('emergencyAccess', { body: { patientId: c.patientId, reason } });
      expect(res.status, JSON.stringify(reason)).toBe(400);
      expect(res.body.error.fields.reason).toMatch(/at least 10 characters/);
    }
    expect((await c.clin.client.call('getPatient', { params: { id: c.patientId } })).status).toBe(403);

    const unknown = await c.clin.client.call('emergencyAccess', {
      body: { patientId: crypto.randomUUID(), reason: 'Unresponsive, need the medication list' },
    });
    expect(unknown.status).toBe(404);

    const reason = 'Unresponsive in clinic, need allergy and medication list';
    const grantedAt = c.t.clock.ms;
    const grant = await c.clin.client.call('emergencyAccess', {
      body: { patientId: c.patientId, reason: `  ${reason}  ` },
    });
    expect(grant.status).toBe(200);
    expect(grant.body.patientId).toBe(c.patientId);
    expect(Date.parse(grant.body.expiresAt) - grantedAt).toBe(60 * 60_000);

    const read = await c.clin.client.call('getPatient', { params: { id: c.patientId } });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: c.patientId,
      legalFirstName: 'Rhea',
      legalLastName: 'Stricted',
      restricted: true,
    });

    // The grant is this clinician's, not the record's: a colleague is still refused.
    expect((await c.other.client.call('getPatient', { params: { id: c.patientId } })).status).toBe(403);

    const entries = await auditFor(c.admin, c.patientId);
    const glass = entries.filter((e) => e.action === 'emergency.access');
    expect(glass).toHaveLength(1);
    expect(glass[0]).toMatchObject({ userId: c.clin.user.id, outcome: 'success', patientId: c.patientId });
    expect(glass[0]!.detail.reason).toBe(reason);
    expect(glass[0]!.detail.expiresAt).toBe(grant.body.expiresAt);
    const reads = entries.filter((e) => e.action === 'patient.read');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ userId: c.clin.user.id, patientId: c.patientId, outcome: 'success' });
    expect(reads[0]!.detail.emergencyGrantId).toBe(glass[0]!.detail.grantId);
    expect(reads[0]!.seq).toBeGreaterThan(glass[0]!.seq);
    const colleague = entries.filter((e) => e.action === 'access.denied' && e.userId === c.other.user.id);
    expect(colleague).toHaveLength(1);
  });

  it('lets the grant lapse after 60 minutes', async () => {
    const c = await clinic();
    const grant = await c.clin.client.call('emergencyAccess', {
      body: { patientId: c.patientId, reason: 'Crisis call, need the safety plan on file' },
    });
    expect(grant.status).toBe(200);
    c.t.clock.advance(59 * 60_000);
    expect((await c.clin.client.call('getPatient', { params: { id: c.patientId } })).status).toBe(200);
    c.t.clock.advance(60_000 + 1000);
    const after = await c.clin.client.call('getPatient', { params: { id: c.patientId } });
    // The session is still live (120-minute idle time-out): it is the grant that ended.
    expect((await c.clin.client.call('session')).status).toBe(200);
    expect(after.status).toBe(403);
    expect(after.body.error.code).toBe('restricted_record');

    // A new reason opens it again, and that is audited as a second break-glass.
    expect(
      (
        await c.clin.client.call('emergencyAccess', {
          body: { patientId: c.patientId, reason: 'Still in crisis, reviewing the plan again' },
        })
      ).status,
    ).toBe(200);
    expect((await c.clin.client.call('getPatient', { params: { id: c.patientId } })).status).toBe(200);
    const entries = await auditFor(c.admin, c.patientId);
    expect(entries.filter((e) => e.action === 'emergency.access')).toHaveLength(2);
  });
});

describe('ordinary records', () => {
  it('opens for any role with patients.read, and every read is audited as patient.read with the patient id', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    const desk = await addStaff(t, s.admin, 'fran.desk', ['front_desk']);
    const biller = await addStaff(t, s.admin, 'bill.biller', ['biller']);
    const created = await desk.client.call('createPatient', {
      body: { legalFirstName: 'Nora', legalLastName: 'Mal', dateOfBirth: '1990-01-31' },
    });
    expect(created.status).toBe(201);
    expect(created.body.restricted).toBe(false);
    const id = created.body.id as string;

    for (const c of [desk.client, biller.client, biller.client]) {
      const res = await c.call('getPatient', { params: { id } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(created.body);
    }
    expect((await biller.client.call('getPatient', { params: { id: crypto.randomUUID() } })).status).toBe(
      404,
    );

    const entries = await auditFor(s.admin, id);
    expect(entries.map((e) => e.action)).toEqual([
      'patient.create',
      'patient.read',
      'patient.read',
      'patient.read',
    ]);
    const reads = entries.filter((e) => e.action === 'patient.read');
    expect(reads.map((e) => e.userId)).toEqual([desk.user.id, biller.user.id, biller.user.id]);
    for (const r of reads) {
      expect(r.patientId).toBe(id);
      expect(r.outcome).toBe('success');
      // Demographics are not copied into the entry.
      expect(JSON.stringify(r.detail)).not.toMatch(/Nora|Mal|1990/);
    }
  });
});
