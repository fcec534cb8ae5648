import { X509Certificate } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CentralConfig } from '../config';
import type { CentralDb } from '../db/pool';

/** Prometheus metrics of one central process (its own registry: several can run in one test process). */
export class CentralMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'tessera_central_http_requests_total',
    help: 'HTTP requests by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'tessera_central_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'tessera_central_errors_total',
    help: 'Error answers by code (5xx answers are counted as "internal")',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly mutations = new Counter({
    name: 'tessera_central_sync_mutations_total',
    help: 'Pushed mutations by result',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly pulledRows = new Counter({
    name: 'tessera_central_sync_pulled_rows_total',
    help: 'Rows sent to workstations by pulls',
    registers: [this.registry],
  });
  readonly lag = new Histogram({
    name: 'tessera_central_sync_lag_seconds',
    help: 'From a change on a workstation to central storing it (workstation clock corrected by its measured skew)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 3600, 86400],
    registers: [this.registry],
  });
  /** Attempts central refused on purpose (see docs/security.md, threat model): alert on any rise. */
  readonly refusals = new Counter({
    name: 'tessera_central_security_refusals_total',
    help: 'Refused attempts by kind: admin_sign_in, enrollment, staff_write (a device changing what it may not), live_streams',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly liveConnections = new Gauge({
    name: 'tessera_central_live_connections',
    help: 'Open live channels (server-sent event streams)',
    registers: [this.registry],
  });

  /** Set at each scrape from the database (so every process reports the same): see `observe` in app.ts. */
  readonly databaseUp = new Gauge({
    name: 'tessera_central_database_up',
    help: '1 when this process could query its database at the last scrape, else 0',
    registers: [this.registry],
  });
  readonly lastBackup = new Gauge({
    name: 'tessera_central_last_backup_timestamp_seconds',
    help: 'When `tessera-central backup` last succeeded (Unix time; 0 = never)',
    registers: [this.registry],
  });
  readonly certificateExpiry = new Gauge({
    name: 'tessera_central_tls_certificate_expiry_timestamp_seconds',
    help: 'When the certificate central serves HTTPS with expires (Unix time; 0 behind a TLS proxy)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tessera_central_' });
  }
}

/**
 * The gauges an operator alerts on that only the database or the configuration can tell: is the database
 * answering, when was the last backup, when does the served certificate expire. Read at scrape time.
 */
export async function observeOperations(
  db: CentralDb,
  config: Pick<CentralConfig, 'tls'>,
  metrics: CentralMetrics,
): Promise<void> {
  const r = await db.pool
    .query<{ value: string }>(`SELECT value FROM tessera.central_meta WHERE key = 'last_backup_at'`)
    .catch(() => null);
  metrics.databaseUp.set(r ? 1 : 0);
  if (r) metrics.lastBackup.set(r.rows[0] ? Date.parse(r.rows[0].value) / 1000 : 0);
  if (config.tls) metrics.certificateExpiry.set(Date.parse(new X509Certificate(config.tls.cert).validTo) / 1000);
}
