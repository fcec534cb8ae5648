import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tessera_central_' });
  }
}
