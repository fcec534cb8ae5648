import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type EndpointName } from '../../../server/contracts/api';
import { postEntries } from '../../../server/workstation/services/billing/ledger';
import { addStaff, type TestClient } from '../../support/workstation';
import { newPatient, schedulingWorld, type SchedulingWorld } from '../scheduling/support';
import { pdfText as rawPdfText } from '../clinical/pdf-text';

/**
 * Billing documents and reports over HTTP, as the biller uses them: a statement and a receipt printed and
 * read back, the monthly run keeping a statement in each owing patient's documents (sealed on disk), a
 * good-faith estimate, the aging report and daily close agreeing with the ledger, and the CSV export
 * audited.
 */

const pdfText = (pdf: Buffer) => rawPdfText(pdf).replace(/\x96/g, '–').replace(/\x97/g, '—');

let w: SchedulingWorld;
let biller: TestClient;
let billerId: string;
let adminId: string;
beforeAll(async () => {
  w = await schedulingWorld();
  const b = await addStaff(w.t, w.admin, 'bea.biller', ['biller']);
  biller = b.client;
  billerId = (await biller.call('session')).body.user.id;
  adminId = (await w.admin.call('session')).body.user.id;
});
afterAll(async () => {
  await w?.t.stop();
});

const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): any => {
  expect(res.status, res.text).toBe(status);
  return res.body;
};

const post = (entries: Parameters<typeof postEntries>[2]) =>
  postEntries(w.t.server.store, { userId: billerId, username: 'bea.biller' }, entries);

async function pdfOf(
  client: TestClient,
  name: EndpointName,
  opts: { params?: Record<string, string>; query?: Record<string, string> },
): Promise<string> {
  let p: string = api[name].path;
  for (const [k, v] of Object.entries(opts.params ?? {})) p = p.replace(`:${k}`, v);
  const q = new URLSearchParams(opts.query ?? {});
  const res = await client.raw('GET', p + (q.size ? `?${q}` : ''));
  const body = Buffer.from(await res.arrayBuffer());
  expect(res.status, body.toString()).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('content-disposition')).not.toMatch(/Testcase|Pat\d/);
  return pdfText(body);
}

describe('billing documents', () => {
  let patientId: string;
  let paymentId: string;

  it('keeps the clinic’s document settings and refuses a malformed tax id on its field', async () => {
    const settings = {
      addressLines: ['1 River Rd', 'Springfield, IL 62701'],
      phone: '(555) 010-0100',
      email: '',
      taxId: '12-3456789',
      npi: '1528060837',
      payInstructions: 'Pay at the front desk or call us to pay by card.',
      payableTo: '',
      dueDays: 21,
      providerLicenses: [],
    };
    ok(await biller.call('updateBillingDocumentSettings', { body: settings }));
    const bad = await biller.call('updateBillingDocumentSettings', { body: { ...settings, taxId: '123' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.taxId).toMatch(/12-3456789/);
    expect(ok(await w.desk.call('getBillingDocumentSettings')).taxId).toBe('12-3456789');
    expect((await w.desk.call('updateBillingDocumentSettings', { body: settings })).status).toBe(403);
  });

  it('prints a statement for a range: balance carried in, lines, balance out, aging, how to pay', async () => {
    patientId = await newPatient(w.desk);
    post([
      {
        patientId,
        kind: 'charge',
        amountCents: 20000,
        serviceDate: '2026-01-05',
        postedAt: '2026-01-05T16:00:00Z',
        memo: 'Intake visit',
      },
      {
        patientId,
        kind: 'charge',
        amountCents: 15000,
        serviceDate: '2026-02-10',
        postedAt: '2026-02-10T16:00:00Z',
        memo: 'Follow-up visit',
      },
    ]);
    const [payment] = post([
      {
        patientId,
        kind: 'payment',
        amountCents: 5000,
        method: 'check',
        checkNumber: '1042',
        postedAt: '2026-02-12T16:00:00Z',
      },
    ]);
    paymentId = payment!.id;
    const text = await pdfOf(biller, 'previewBillingDocument', {
      params: { patientId },
      query: { kind: 'statement', from: '2026-02-01', to: '2026-02-28' },
    });
    expect(text).toContain('Statement — 1 Feb 2026 to 28 Feb 2026');
    expect(text).toMatch(/Testcase, Pat\d+/);
    expect(text).toContain('Balance on 1 Feb 2026');
    expect(text).toContain('$200.00'); // carried in
    expect(text).toContain('Follow-up visit');
    expect(text).toContain('Payment — check #1042');
    expect(text).toContain('$300.00'); // amount due
    expect(text).toContain('Pay at the front desk or call us to pay by card.');
    expect(text).toContain('1 River Rd');
  });

  it('prints a receipt for a payment', async () => {
    const text = await pdfOf(biller, 'previewBillingDocument', {
      params: { patientId },
      query: { kind: 'receipt', paymentEntryId: paymentId },
    });
    expect(text).toContain('Payment receipt');
    expect(text).toContain('Amount paid');
    expect(text).toContain('$50.00');
    expect(text).toContain('Check #1042');
  });

  it('keeps a good-faith estimate in the patient’s documents, sealed on disk, with the dispute rights', async () => {
    const doc = ok(
      await biller.call('createGoodFaithEstimate', {
        params: { patientId },
        body: {
          providerUserId: adminId,
          primaryService: 'Weekly therapy, 12 sessions',
          trigger: 'scheduled',
          scheduledOn: '2026-03-02',
          serviceDate: '2026-03-20',
          items: [
            { code: 'T1002', description: 'Therapy session', units: 1, unitFeeCents: 15000, quantity: 12 },
          ],
        },
      }),
      201,
    );
    expect(doc).toMatchObject({ kind: 'good_faith_estimate', amountCents: 180000 });
    const list = ok(await biller.call('listBillingDocuments', { params: { patientId } })).documents;
    expect(list.map((d: any) => d.id)).toContain(doc.id);
    const text = await pdfOf(biller, 'getBillingDocumentPdf', { params: { patientId, documentId: doc.id } });
    expect(text).toContain('Good Faith Estimate');
    expect(text).toContain('$1,800.00');
    expect(text).toContain('$400.00 or more');
    expect(text).toContain('12-3456789');
    expect(text).toContain('5 Mar 2026'); // 10+ business days ahead: within 3 business days of 2 Mar
    // On disk: ids for names, and no patient data in clear.
    const dir = path.join(w.t.dataDir, 'documents');
    const files = fs.readdirSync(dir, { recursive: true }).map(String);
    const sealed = files.find((f) => f.endsWith(`${doc.id}.tsd`))!;
    expect(sealed).toBeTruthy();
    const bytes = fs.readFileSync(path.join(dir, sealed)).toString('latin1');
    expect(bytes).not.toMatch(/Testcase|Therapy session|1042/);
    expect(fs.statSync(path.join(dir, sealed)).mode & 0o077).toBe(0);
  });

  it('runs the monthly statements with progress and keeps one per owing patient', async () => {
    const second = await newPatient(w.desk);
    post([
      {
        patientId: second,
        kind: 'charge',
        amountCents: 4500,
        serviceDate: '2026-02-20',
        postedAt: '2026-02-20T16:00:00Z',
      },
    ]);
    const paidUp = await newPatient(w.desk);
    post([
      {
        patientId: paidUp,
        kind: 'charge',
        amountCents: 4500,
        serviceDate: '2026-02-20',
        postedAt: '2026-02-20T16:00:00Z',
      },
      {
        patientId: paidUp,
        kind: 'payment',
        amountCents: 4500,
        method: 'cash',
        postedAt: '2026-02-20T16:05:00Z',
      },
    ]);
    let run = ok(
      await biller.call('createStatementRun', { body: { from: '2026-02-01', to: '2026-02-28' } }),
      201,
    );
    for (let i = 0; i < 100 && run.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = ok(await biller.call('getStatementRun', { params: { id: run.id } }));
    }
    expect(run).toMatchObject({ state: 'done', failed: 0 });
    expect(run.total).toBeGreaterThanOrEqual(2);
    expect(run.done).toBe(run.total);
    const docs = ok(await biller.call('listBillingDocuments', { params: { patientId: second } })).documents;
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ kind: 'statement', runId: run.id, amountCents: 4500 });
    expect(
      ok(await biller.call('listBillingDocuments', { params: { patientId: paidUp } })).documents,
    ).toEqual([]);
    const text = await pdfOf(biller, 'getBillingDocumentPdf', {
      params: { patientId: second, documentId: docs[0].id },
    });
    expect(text).toContain('Amount due from you');
    expect(text).toContain('$45.00');
    const runs = ok(await biller.call('listStatementRuns')).runs;
    expect(runs[0].id).toBe(run.id);
  });
});

describe('billing reports', () => {
  it('ages each account exactly as the statement does (the report’s fold and the domain rule agree)', async () => {
    const store = w.t.server.store;
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const ids: string[] = [];
    for (let p = 0; p < 6; p++) {
      const pid = await newPatient(w.desk);
      ids.push(pid);
      const posted: { id: string; kind: string }[] = [];
      for (let i = 0; i < 14; i++) {
        const day = new Date(Date.UTC(2025, 6, 1) + Math.floor(rand() * 240) * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const at = `${day}T18:00:00Z`;
        const amountCents = 500 + Math.floor(rand() * 20000);
        const x = rand();
        const resp = rand() < 0.4 ? ('insurance' as const) : ('patient' as const);
        const e =
          x < 0.45
            ? {
                patientId: pid,
                kind: 'charge' as const,
                amountCents,
                serviceDate: day,
                postedAt: at,
                responsibility: resp,
              }
            : x < 0.7
              ? {
                  patientId: pid,
                  kind: 'payment' as const,
                  amountCents,
                  method: 'cash' as const,
                  postedAt: at,
                  responsibility: resp,
                }
              : x < 0.8
                ? {
                    patientId: pid,
                    kind: 'adjustment' as const,
                    amountCents: Math.floor(amountCents / 5) + 1,
                    postedAt: at,
                    responsibility: resp,
                  }
                : x < 0.92
                  ? {
                      patientId: pid,
                      kind: 'transfer' as const,
                      amountCents: Math.floor(amountCents / 4) + 1,
                      postedAt: at,
                      responsibility: 'patient' as const,
                      transferFrom: 'insurance' as const,
                    }
                  : null;
        if (e) {
          try {
            posted.push(...post([e]));
          } catch {
            // The ledger refuses what its rules forbid (a transfer beyond the balance): not made.
          }
        } else {
          const target = posted.find((q) => q.kind === 'charge' || q.kind === 'payment');
          if (target) {
            try {
              post([
                {
                  patientId: pid,
                  kind: 'reversal',
                  amountCents: (target as any).amountCents,
                  reversesEntryId: target.id,
                  postedAt: at,
                  memo: 'Posted in error',
                } as any,
              ]);
              posted.splice(posted.indexOf(target), 1);
            } catch {
              // A reversal the ledger refuses (e.g. it would strand an allocation) is simply not made.
            }
          }
        }
      }
    }
    const { agingReport } = await import('../../../server/workstation/services/billing/ar-aging');
    const { patientAccount, localDateIn } =
      await import('../../../server/workstation/services/billing/document-data');
    const { agingOf } = await import('../../../server/domain/billing/documents');
    const report = agingReport(store, { asOf: '2026-03-02', limit: 5000 });
    // Most of these accounts owe something, so the comparison below compares real buckets.
    expect(report.patients.filter((r) => ids.includes(r.key!)).length).toBeGreaterThanOrEqual(3);
    for (const pid of ids) {
      const expected = agingOf(
        patientAccount(store, pid).items,
        '2026-03-02',
        localDateIn('America/Chicago'),
      );
      const row = report.patients.find((r) => r.key === pid);
      const zero = { '0_30': 0, '31_60': 0, '61_90': 0, '91_120': 0, '120_plus': 0 };
      expect(row?.patient ?? zero).toEqual(expected.patient);
      expect(row?.insurance ?? zero).toEqual(expected.insurance);
    }
    // The list is most owed first, equal totals by id; a short list is the head of the whole one.
    const order = report.patients.map((r) => [r.totalCents, r.key!] as const);
    expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1)));
    for (const limit of [1, 2, 3]) {
      const short = agingReport(store, { asOf: '2026-03-02', limit });
      expect(short.patients).toEqual(report.patients.slice(0, limit));
      expect(short.patientCount).toBe(report.patientCount);
    }
    // The CSV export's every patient: the same rows in the same order.
    expect(report.patientCount).toBeLessThan(5000);
    expect(agingReport(store, { asOf: '2026-03-02', limit: 1 }, { allPatients: true }).patients).toEqual(
      report.patients,
    );
  });

  it('ages the balance by responsibility and agrees with the ledger', async () => {
    const p = await newPatient(w.desk);
    post([
      {
        patientId: p,
        kind: 'charge',
        amountCents: 10000,
        serviceDate: '2025-10-01',
        postedAt: '2025-10-01T16:00:00Z',
      },
      {
        patientId: p,
        kind: 'charge',
        amountCents: 30000,
        serviceDate: '2026-02-25',
        postedAt: '2026-02-25T16:00:00Z',
        responsibility: 'insurance',
      },
      { patientId: p, kind: 'payment', amountCents: 2500, method: 'cash', postedAt: '2026-02-26T16:00:00Z' },
    ]);
    const report = ok(await biller.call('getAgingReport', { query: { asOf: '2026-03-02', limit: 5000 } }));
    const row = report.patients.find((r: any) => r.key === p);
    expect(row.patient).toEqual({ '0_30': 0, '31_60': 0, '61_90': 0, '91_120': 0, '120_plus': 7500 });
    expect(row.insurance['0_30']).toBe(30000);
    expect(row.totalCents).toBe(37500);
    const sum = (a: any) => Object.values(a as Record<string, number>).reduce((s, v) => s + v, 0);
    expect(sum(report.total.patient) + sum(report.total.insurance)).toBe(report.total.totalCents);
    expect(report.byProvider.reduce((s: number, r: any) => s + r.totalCents, 0)).toBe(
      report.total.totalCents,
    );
  });

  it('closes the day per user and for the clinic, and exports CSV with an audit entry', async () => {
    const p = await newPatient(w.desk);
    const today = '2026-03-02';
    post([
      { patientId: p, kind: 'payment', amountCents: 2000, method: 'cash', postedAt: '2026-03-02T15:00:00Z' },
      {
        patientId: p,
        kind: 'payment',
        amountCents: 3500,
        method: 'check',
        checkNumber: '77',
        postedAt: '2026-03-02T15:10:00Z',
      },
    ]);
    const close = ok(await biller.call('getDailyClose', { query: { date: today } }));
    expect(close.clinic.payments).toMatchObject({ cash: 2000, check: 3500 });
    expect(close.clinic.toDepositCents).toBe(5500);
    expect(close.byUser).toHaveLength(1);
    expect(close.byUser[0]).toMatchObject({ userId: billerId, toDepositCents: 5500 });
    expect(close.checks.map((c: any) => c.checkNumber)).toContain('77');

    const csv = await biller.call('exportBillingReport', {
      params: { report: 'daily-close' },
      query: { date: today },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text).toContain('To deposit');
    expect(csv.text).toContain('55.00');
    const audit = ok(await w.admin.call('auditReport', { query: { action: 'billing.report_export' } }));
    expect(audit.entries.length).toBeGreaterThanOrEqual(1);

    const payments = ok(await biller.call('getPaymentsReport', { query: { from: today, to: today } }));
    expect(payments.totalPaymentsCents).toBe(5500);
  });
});
