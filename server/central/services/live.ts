import pg from 'pg';
import type { Logger } from '../../platform/logging';
import { WakeCoalescer } from './live-coalesce';

/**
 * The live channel's fan-out. Commits that advance a clinic's change sequence NOTIFY `tessera_changes`
 * (see replication/apply.ts); every API node LISTENs on one connection and tells its own subscribers of
 * that clinic. So any node can serve any workstation: nodes share nothing but PostgreSQL. A busy clinic's
 * changes are told together, at most once a window (live-coalesce.ts), not once per commit.
 */

interface Subscriber {
  clinicId: string;
  deviceId: string;
  onChange: (head: number) => void;
  onRevoked: () => void;
}

export class LiveHub {
  readonly #subscribers = new Set<Subscriber>();
  /** The same subscribers by clinic: a change is told to its clinic's workstations without a walk of all. */
  readonly #byClinic = new Map<string, Set<Subscriber>>();
  readonly #wake = new WakeCoalescer((clinicId, head) => {
    for (const s of this.#byClinic.get(clinicId) ?? []) s.onChange(head);
  });
  readonly #revocationListeners = new Set<(deviceId: string) => void>();
  readonly #headListeners = new Set<(clinicId: string, head: number) => void>();
  readonly #telehealthListeners = new Set<(payload: string) => void>();
  #client: pg.Client | null = null;
  #stopped = false;
  #retry: NodeJS.Timeout | null = null;
  #connected = false;
  #generation = 0;

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger,
  ) {}

  get connections(): number {
    return this.#subscribers.size;
  }

  get listening(): boolean {
    return this.#connected;
  }

  /**
   * Which connection is listening (it counts up with every connection made), or null while none is: what
   * was heard on an earlier connection says nothing about the changes made while it was down.
   */
  get listeningSince(): number | null {
    return this.#connected ? this.#generation : null;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('error', () => this.#reconnect());
    client.on('end', () => this.#reconnect());
    client.on('notification', (n) => this.#dispatch(n.channel, n.payload ?? ''));
    try {
      await client.connect();
      await client.query('LISTEN tessera_changes');
      await client.query('LISTEN tessera_devices');
      await client.query('LISTEN tessera_telehealth');
      this.#client = client;
      this.#generation++;
      this.#connected = true;
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      this.logger.warn({ errName: (err as Error).name }, 'live channel: cannot listen; retrying');
      this.#reconnect();
    }
  }

  #reconnect() {
    this.#connected = false;
    if (this.#stopped || this.#retry) return;
    this.#client = null;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.#connect();
    }, 1000);
    this.#retry.unref();
  }

  #dispatch(channel: string, payload: string) {
    if (channel === 'tessera_changes') {
      const [clinicId, seq] = payload.split(':');
      const head = Number(seq);
      if (!clinicId || !Number.isSafeInteger(head)) return;
      for (const l of this.#headListeners) l(clinicId, head);
      if (this.#byClinic.has(clinicId)) this.#wake.heard(clinicId, head);
    } else if (channel === 'tessera_devices') {
      for (const l of this.#revocationListeners) l(payload);
      for (const s of [...this.#subscribers]) if (s.deviceId === payload) s.onRevoked();
    } else if (channel === 'tessera_telehealth') {
      for (const l of this.#telehealthListeners) l(payload);
    }
  }

  /** Told every clinic head committed on any node, as it is heard (not coalesced). */
  onHead(listener: (clinicId: string, head: number) => void): void {
    this.#headListeners.add(listener);
  }

  /** Told the id of every device revoked on any node. */
  onRevoked(listener: (deviceId: string) => void): void {
    this.#revocationListeners.add(listener);
  }

  /** Told every telehealth notification (services/telehealth/hub.ts fans them out to session streams). */
  onTelehealth(listener: (payload: string) => void): () => void {
    this.#telehealthListeners.add(listener);
    return () => this.#telehealthListeners.delete(listener);
  }

  subscribe(s: Subscriber): () => void {
    this.#subscribers.add(s);
    let clinic = this.#byClinic.get(s.clinicId);
    if (!clinic) this.#byClinic.set(s.clinicId, (clinic = new Set()));
    clinic.add(s);
    return () => {
      this.#subscribers.delete(s);
      clinic.delete(s);
      if (!clinic.size && this.#byClinic.get(s.clinicId) === clinic) this.#byClinic.delete(s.clinicId);
    };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake.stop();
    if (this.#retry) clearTimeout(this.#retry);
    const c = this.#client;
    this.#client = null;
    this.#connected = false;
    if (c) {
      c.removeAllListeners('end');
      c.removeAllListeners('error');
      c.on('error', () => {});
      await c.end().catch(() => {});
    }
  }
}
