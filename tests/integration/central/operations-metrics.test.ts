import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralDb } from '../../../server/central/db/pool';
import { CentralMetrics, observeOperations } from '../../../server/central/http/metrics';
import { recordBackup } from '../../../server/central/services/backups';
import { CentralClient, startTestCentral, type TestCentral } from '../../support/central';
import { tempDir } from '../../support/workstation';

/**
 * What operators alert on: the shipped Prometheus rules refer only to metrics central really exports, and
 * the operational gauges (database up, last backup, certificate expiry) tell the truth.
 */

const rulesFile = path.resolve(import.meta.dirname, '../../../deploy/monitoring/tessera-central-alerts.yml');
interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}
const rules = (yaml.load(fs.readFileSync(rulesFile, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);

let central: TestCentral;
let scrape: () => Promise<string>;

beforeAll(async () => {
  central = await startTestCentral();
  const client = new CentralClient(central.url, central.config.metricsToken);
  scrape = async () => (await client.call('centralMetrics')).text;
});
afterAll(async () => {
  await central?.destroy();
});

/** The value of an unlabelled sample in Prometheus text format. */
const sample = (text: string, name: string) => {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};

describe('alert rules', () => {
  it('cover what the runbook promises: replication lag, push failures, errors, disk, certificate, backup age', () => {
    const names = rules.map((r) => r.alert);
    for (const expected of [
      'TesseraReplicationLagHigh',
      'TesseraPushFailures',
      'TesseraErrorRateHigh',
      'TesseraDatabaseDiskFilling',
      'TesseraCertificateExpiring',
      'TesseraBackupTooOld',
      'TesseraCentralDatabaseDown',
    ]) {
      expect(names).toContain(expected);
    }
    for (const r of rules) {
      expect(['critical', 'warning'], r.alert).toContain(r.labels.severity);
      expect(r.annotations.summary.length, r.alert).toBeGreaterThan(10);
      expect(r.annotations.description.length, r.alert).toBeGreaterThan(20);
    }
  });

  it('use only metrics central exports (with their label names)', async () => {
    const exported = await scrape();
    const families = new Set([...exported.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const labelNames = new Map(
      (new CentralMetrics().registry.getMetricsAsArray() as unknown as { name: string; labelNames: string[] }[]).map(
        (m) => [m.name, m.labelNames],
      ),
    );
    for (const r of rules) {
      for (const [, name, labels] of r.expr.matchAll(/(tessera_central_[a-z_]+)(\{[^}]*\})?/g)) {
        const family = name!.replace(/_(bucket|sum|count)$/, '');
        expect(families, `${r.alert}: ${name}`).toContain(family);
        for (const [, label] of (labels ?? '').matchAll(/([a-z_]+)\s*=~?/g)) {
          expect(labelNames.get(family), `${r.alert}: ${name} has no label ${label}`).toContain(label);
        }
      }
    }
  });
});

describe('operational gauges', () => {
  it('report the database up and the last backup (0 until one is made)', async () => {
    let text = await scrape();
    expect(sample(text, 'tessera_central_database_up')).toBe(1);
    expect(sample(text, 'tessera_central_last_backup_timestamp_seconds')).toBe(0);
    const at = new Date('2026-12-04T02:00:00Z');
    await recordBackup(central.db.ownerUrl, at);
    text = await scrape();
    expect(sample(text, 'tessera_central_last_backup_timestamp_seconds')).toBe(at.getTime() / 1000);
    // Behind a TLS proxy central serves no certificate of its own: 0, which the alert ignores.
    expect(sample(text, 'tessera_central_tls_certificate_expiry_timestamp_seconds')).toBe(0);
  });

  it('report the database down when it does not answer', async () => {
    const metrics = new CentralMetrics();
    const unreachable = new CentralDb('postgres://nobody@127.0.0.1:1/none', 1);
    try {
      await observeOperations(unreachable, { tls: null }, metrics);
      expect(sample(await metrics.registry.metrics(), 'tessera_central_database_up')).toBe(0);
    } finally {
      await unreachable.close();
    }
  });

  it('report when the served certificate expires (skipped without openssl)', async (ctx) => {
    const dir = tempDir('tessera-cert-');
    const made = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30',
      '-subj', '/CN=central.test', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ]);
    if (made.status !== 0) ctx.skip();
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    const metrics = new CentralMetrics();
    const db = new CentralDb(central.db.apiUrl, 1);
    try {
      await observeOperations(db, { tls: { cert, key: '' } }, metrics);
      const expiry = sample(await metrics.registry.metrics(), 'tessera_central_tls_certificate_expiry_timestamp_seconds')!;
      const days = (expiry * 1000 - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29);
      expect(days).toBeLessThanOrEqual(30);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
