import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../server/contracts/audit';
import { centralQuery } from '../../support/sync';
import {
  PortalBrowser,
  portalCode,
  setUpPatient,
  setUpProxy,
  startPortalStack,
  type PortalStack,
} from '../../support/portal';

/**
 * "Every access … in the clinic's audit log": what patients and proxies do in the portal (sign-ins, refused
 * ones too, views, cancellations) reaches the workstation's audit report after a sync, as source "Patient
 * portal", with the report's filters and the CSV export working on it and `audit verify` sound. The entries
 * are hash-chained at central: one altered at central after sealing is refused by the workstation and
 * `audit verify` says so; one altered in the workstation's own copy is caught by `audit verify` too.
 */

let stack: PortalStack;
let a: { browser: PortalBrowser; secret: string };
let proxy: { browser: PortalBrowser; secret: string };

const portalReport = async (query: Record<string, unknown> = {}) => {
  const r = await stack.client.call('auditReport', {
    query: { source: 'portal', sort: 'at', dir: 'asc', limit: 1000, ...query },
  });
  expect(r.status, r.text).toBe(200);
  return r.body as { entries: AuditEntry[]; total: number };
};

const centralCount = async () =>
  Number(
    (
      await centralQuery(
        stack.central,
        `SELECT count(*) AS n FROM tessera.portal_activity WHERE clinic_id = $1`,
        [stack.clinic.clinicId],
      )
    )[0].n,
  );

beforeAll(async () => {
  stack = await startPortalStack();
  a = await setUpPatient(stack, 'jordan@example.org', 'a');
  proxy = await setUpProxy(stack, 'parent@example.org', 'b', ['appointments']);
  // A wrong password is refused (and recorded against the account).
  const refused = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/sessions', {
    email: 'jordan@example.org',
    password: 'not the right passphrase',
    code: portalCode(a.secret, 1),
  });
  expect(refused.status).toBe(401);
  expect((await a.browser.call('GET', '/v1/portal/appointments')).status).toBe(200);
  const cancel = await a.browser.call('POST', `/v1/portal/appointments/${stack.appointments.aLater}/cancel`, {
    reason: 'Feeling better',
  });
  expect(cancel.status, cancel.text).toBe(200);
  expect((await proxy.browser.call('GET', '/v1/portal/appointments')).status).toBe(200);
  await stack.workstation.sync.syncNow();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("portal acts in the clinic's audit log", () => {
  it('lists every portal act on the workstation after a sync, as the patient or proxy account, without e-mail', async () => {
    const { entries, total } = await portalReport();
    expect(total).toBe(await centralCount());
    expect(entries.every((e) => e.source === 'portal' && e.workstationId === 'patient-portal')).toBe(true);
    const mine = entries.filter((e) => e.patientId === stack.patients.a);
    expect(mine.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'patient_portal.invitation.sent',
        'patient_portal.account.set_up',
        'patient_portal.sign_in',
        'patient_portal.appointments.read',
        'patient_portal.appointment.cancel',
      ]),
    );
    const refusedSignIn = mine.find((e) => e.action === 'patient_portal.sign_in' && e.outcome === 'denied');
    expect(refusedSignIn).toMatchObject({
      username: 'portal patient',
      patientLabel: expect.stringMatching(/^Rivera, Jordan \(/),
    });
    const cancelled = mine.find((e) => e.action === 'patient_portal.appointment.cancel')!;
    expect(cancelled).toMatchObject({ outcome: 'success', username: 'portal patient' });
    // The proxy's acts name the proxy account and the child's record.
    const byProxy = entries.filter((e) => e.username === 'portal proxy');
    expect(byProxy.length).toBeGreaterThan(0);
    expect(byProxy.every((e) => e.patientId === stack.patients.b)).toBe(true);
    expect(byProxy.map((e) => e.action)).toContain('patient_portal.appointments.read');
    // The staff member's invitation is the staff member's act (the account is in the detail).
    const invite = mine.find((e) => e.action === 'patient_portal.invitation.sent')!;
    expect(invite).toMatchObject({ userId: stack.adminUserId, username: null, detail: { byStaff: true } });
    const text = JSON.stringify(entries);
    expect(text).not.toContain('jordan@example.org');
    expect(text).not.toContain('parent@example.org');
    expect(text).not.toContain('Chris Parent');
  });

  it('lists them beside the workstation’s own entries, and the filters work on them', async () => {
    const both = await stack.client.call('auditReport', { query: { limit: 1000 } });
    const sources = new Set((both.body.entries as AuditEntry[]).map((e) => e.source));
    expect(sources).toEqual(new Set(['workstation', 'portal']));

    const appointmentActs = await portalReport({ action: 'patient_portal.appointment' });
    expect(appointmentActs.entries.map((e) => e.action)).toEqual(['patient_portal.appointment.cancel']);
    const all = await stack.client.call('auditReport', { query: { action: 'patient_portal', limit: 1000 } });
    expect(all.body.total).toBe(await centralCount());

    const childs = await portalReport({ patientId: stack.patients.b });
    expect(childs.total).toBeGreaterThan(0);
    expect(childs.entries.every((e) => e.patientId === stack.patients.b)).toBe(true);

    const denied = await portalReport({ outcome: 'denied' });
    expect(denied.entries.map((e) => e.action)).toEqual(['patient_portal.sign_in']);

    // The report reads from/to as the clinic's local days (the stack's clinic is in America/Chicago): in the
    // evening there, the UTC date is already tomorrow's.
    const clinicNow = DateTime.now().setZone('America/Chicago');
    const today = clinicNow.toISODate()!;
    const yesterday = clinicNow.minus({ days: 2 }).toISODate()!;
    expect((await portalReport({ from: yesterday })).total).toBe(await centralCount());
    expect((await portalReport({ to: yesterday })).total).toBe(0);
    expect((await portalReport({ from: today, to: today })).total).toBeGreaterThan(0);
  });

  it('exports them in the CSV with the source "Patient portal"', async () => {
    const res = await stack.client.call('auditExport', { query: { source: 'portal' } });
    expect(res.status).toBe(200);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]!.split(',').at(-1)).toBe('source');
    expect(lines.length - 1).toBe(await centralCount());
    const cancel = lines.find((l) => l.includes('patient_portal.appointment.cancel'))!;
    expect(cancel).toContain('Patient portal');
    expect(cancel).toContain(stack.patients.a);
    expect(res.text).not.toContain('jordan@example.org');
  });

  it('keeps `audit verify` sound, and pulls only new entries later', async () => {
    const before = await stack.client.call('auditVerify');
    expect(before.body, before.text).toMatchObject({ ok: true, problems: [] });
    const n = await centralCount();
    expect((await a.browser.call('GET', '/v1/portal/activity')).status).toBe(200);
    await stack.workstation.sync.syncNow();
    const after = await portalReport();
    expect(after.total).toBe(n + 1);
    expect(after.entries.at(-1)).toMatchObject({ action: 'patient_portal.activity.read', seq: n + 1 });
    const verify = await stack.client.call('auditVerify');
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.checked).toBeGreaterThanOrEqual(after.total);
  });

  it('refuses a portal entry altered at central after it was sealed, and `audit verify` reports it', async () => {
    // Only the syncs asked for here (each report view is audited, which would start one).
    await stack.workstation.sync.stop();
    const stored = (await portalReport()).total;
    expect((await a.browser.call('GET', '/v1/portal/appointments')).status).toBe(200);
    expect((await a.browser.call('GET', '/v1/portal/activity')).status).toBe(200);
    // Sealed (as any workstation's pull does) but not yet pulled by this one.
    const seal = await stack.staff.call('syncPortalAudit', { query: { after: 1_000_000 } });
    expect(seal.status, seal.text).toBe(200);
    await centralQuery(
      stack.central,
      `UPDATE tessera.portal_activity SET action = 'sign_out' WHERE clinic_id = $1 AND seq = $2`,
      [stack.clinic.clinicId, stored + 1],
    );
    await stack.workstation.sync.syncNow();
    // Nothing from the altered entry on was stored; what was there stays.
    expect((await portalReport()).total).toBe(stored);
    const verify = await stack.client.call('auditVerify');
    expect(verify.body.ok).toBe(false);
    expect(verify.body.problems).toEqual([
      {
        seq: stored + 1,
        problem: expect.stringMatching(
          /^Patient portal entry \d+: refused as sent by the central server \(content was altered/,
        ),
      },
    ]);
    // Put back as it was sealed: the next sync stores it and the rest, and the chain is sound again.
    await centralQuery(
      stack.central,
      `UPDATE tessera.portal_activity SET action = 'appointments.read' WHERE clinic_id = $1 AND seq = $2`,
      [stack.clinic.clinicId, stored + 1],
    );
    await stack.workstation.sync.syncNow();
    expect((await portalReport()).total).toBe(stored + 2);
    expect((await stack.client.call('auditVerify')).body).toMatchObject({ ok: true });
  });

  it('catches a portal entry altered in the workstation’s own copy', async () => {
    const db = stack.workstation.t.server.store.db;
    expect(() => db.prepare(`UPDATE portal_audit_log SET outcome = 'success'`).run()).toThrow(/append-only/);
    const denied = (await portalReport({ outcome: 'denied' })).entries[0]!;
    db.exec('DROP TRIGGER portal_audit_log_no_update');
    db.prepare(`UPDATE portal_audit_log SET outcome = 'success' WHERE seq = ?`).run(denied.seq);
    const verify = await stack.client.call('auditVerify');
    expect(verify.body.ok).toBe(false);
    expect(verify.body.problems).toContainEqual({
      seq: denied.seq,
      problem: `Patient portal entry ${denied.seq}: content was altered after it was written`,
    });
  });
});
