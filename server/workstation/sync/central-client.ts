import type { z } from 'zod';
import { currentCodeSetSchema } from '../../contracts/central';
import * as pay from '../../contracts/central/payments';
import { inboundImportGrantSchema } from '../../contracts/central/claims-endpoints';
import { apiErrorSchema } from '../../contracts/common';
import {
  changeEventSchema,
  enrollResponseSchema,
  helloResponseSchema,
  portalAuditPageSchema,
  pullResponseSchema,
  pushResponseSchema,
  SYNC_PROTOCOL_VERSION,
  syncHeaders,
  type EnrollRequest,
} from '../../contracts/sync';

/**
 * The workstation's HTTP client for central. Every request carries the protocol and schema versions and
 * this workstation's clock; every answer carries central's clock, from which the skew is measured (and
 * reported, never used to order anything). Answers are checked against the shared protocol schemas.
 */

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A request body that is JSON text already (a push's spliced mutations): sent as it is. */
class JsonText {
  constructor(readonly text: string) {}
}

export class CentralRequestError extends Error {
  override name = 'CentralRequestError';
  constructor(
    /** network: no answer (or a broken one); http: central answered with an error. */
    readonly kind: 'network' | 'http',
    readonly status: number,
    readonly code: string,
    message: string,
    /** Central's sentences per input field, when it refused input. */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }

  get transient(): boolean {
    return this.kind === 'network' || this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

export interface CentralClientOptions {
  baseUrl: string;
  credential: string | null;
  schemaVersion: number;
  /** The workstation's clock (the store's): what the skew is measured against. */
  now: () => Date;
  fetch?: FetchLike;
  timeoutMs?: number;
  /** This workstation's report for central's console (syncHeaders.status), sent on every request. */
  status?: () => string;
}

export class CentralClient {
  /** Central's clock minus ours at the last answer, in ms. */
  skewMs: number | null = null;
  readonly #fetch: FetchLike;

  constructor(private readonly opts: CentralClientOptions) {
    this.#fetch = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  #headers(json: boolean): Record<string, string> {
    return {
      [syncHeaders.protocol]: String(SYNC_PROTOCOL_VERSION),
      [syncHeaders.schema]: String(this.opts.schemaVersion),
      [syncHeaders.clock]: this.opts.now().toISOString(),
      ...(this.opts.credential && { authorization: `Bearer ${this.opts.credential}` }),
      ...(this.opts.status && this.opts.credential && { [syncHeaders.status]: this.opts.status() }),
      ...(json && { 'content-type': 'application/json' }),
      accept: 'application/json',
    };
  }

  async #request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
    timeoutMs?: number,
  ): Promise<z.output<S>> {
    const sentAt = this.opts.now().getTime();
    let res: Response;
    try {
      res = await this.#fetch(this.opts.baseUrl + path, {
        method,
        headers: this.#headers(body !== undefined),
        // As bytes: a string body is scanned for lone surrogates, encoded and copied by fetch (about 25 ms
        // of a 1,000-mutation push); JSON.stringify already escapes lone surrogates, so there are none.
        body:
          body === undefined
            ? undefined
            : Buffer.from(body instanceof JsonText ? body.text : JSON.stringify(body)),
        signal: AbortSignal.timeout(timeoutMs ?? this.opts.timeoutMs ?? 30_000),
      });
    } catch {
      throw new CentralRequestError('network', 0, 'network', 'The central server cannot be reached.');
    }
    this.#measure(res, sentAt);
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new CentralRequestError(
        'network',
        res.status,
        'bad_response',
        'The central server sent an unreadable answer.',
      );
    }
    if (!res.ok) {
      const parsed = apiErrorSchema.safeParse(json);
      throw new CentralRequestError(
        'http',
        res.status,
        parsed.success ? parsed.data.error.code : `http_${res.status}`,
        parsed.success ? parsed.data.error.message : `The central server answered ${res.status}.`,
        parsed.success ? parsed.data.error.fields : undefined,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new CentralRequestError(
        'http',
        res.status,
        'bad_response',
        'The central server sent an unexpected answer.',
      );
    return parsed.data;
  }

  #measure(res: Response, sentAt: number) {
    const server = Number(res.headers.get(syncHeaders.serverTime));
    if (!Number.isFinite(server) || server <= 0) return;
    const receivedAt = this.opts.now().getTime();
    this.skewMs = Math.round(server - (sentAt + receivedAt) / 2);
  }

  enroll(req: EnrollRequest) {
    return this.#request('POST', '/v1/enroll', enrollResponseSchema, req);
  }

  hello() {
    return this.#request('GET', '/v1/sync/hello', helloResponseSchema);
  }

  /** `mutations`: the JSON array of the batch's mutations (the outbox's OutgoingBatch, or JSON.stringify). */
  push(epoch: string, lastAcknowledged: number, mutations: string) {
    return this.#request(
      'POST',
      '/v1/sync/push',
      pushResponseSchema,
      new JsonText(
        `{"epoch":${JSON.stringify(epoch)},"lastAcknowledged":${lastAcknowledged},"mutations":${mutations}}`,
      ),
      120_000,
    );
  }

  pull(cursor: number, limit: number) {
    return this.#request(
      'GET',
      `/v1/sync/pull?cursor=${cursor}&limit=${limit}`,
      pullResponseSchema,
      undefined,
      120_000,
    );
  }

  /** The clinic's portal audit chain after an entry (services/audit/portal-chain.ts stores it). */
  portalAudit(after: number, limit: number) {
    return this.#request(
      'GET',
      `/v1/sync/portal-audit?after=${after}&limit=${limit}`,
      portalAuditPageSchema,
      undefined,
      120_000,
    );
  }

  // ---- card payments (central talks to Stripe; see server/central/services/payments) ----

  reconciliationFindings() {
    return this.#request('GET', '/v1/payments/reconciliation/findings', pay.reconciliationFindingsSchema);
  }

  cardReaders() {
    return this.#request('GET', '/v1/payments/readers', pay.cardReaderListSchema);
  }

  startReaderPayment(body: z.input<typeof pay.readerPaymentRequestSchema>) {
    return this.#request('POST', '/v1/payments/reader-payments', pay.cardPaymentSchema, body);
  }

  createPaymentLink(body: z.input<typeof pay.paymentLinkRequestSchema>) {
    return this.#request('POST', '/v1/payments/payment-links', pay.cardPaymentSchema, body);
  }

  chargeSavedCard(body: z.input<typeof pay.savedCardPaymentRequestSchema>) {
    return this.#request('POST', '/v1/payments/saved-card-payments', pay.cardPaymentSchema, body);
  }

  cardPayments(patientId: string) {
    return this.#request(
      'GET',
      `/v1/payments/payments?patientId=${encodeURIComponent(patientId)}`,
      pay.cardPaymentListSchema,
    );
  }

  cardPayment(id: string) {
    return this.#request('GET', `/v1/payments/payments/${encodeURIComponent(id)}`, pay.cardPaymentSchema);
  }

  cancelCardPayment(id: string) {
    return this.#request(
      'POST',
      `/v1/payments/payments/${encodeURIComponent(id)}/cancel`,
      pay.cardPaymentSchema,
    );
  }

  refundCardPayment(body: z.input<typeof pay.cardRefundRequestSchema>) {
    return this.#request('POST', '/v1/payments/refunds', pay.cardRefundResultSchema, body);
  }

  startCardAgreement(body: z.input<typeof pay.agreementRequestSchema>) {
    return this.#request('POST', '/v1/payments/agreements', pay.cardAgreementSchema, body);
  }

  cardAgreements(patientId: string) {
    return this.#request(
      'GET',
      `/v1/payments/agreements?patientId=${encodeURIComponent(patientId)}`,
      pay.cardAgreementListSchema,
    );
  }

  revokeCardAgreement(id: string, body: z.input<typeof pay.revokeAgreementRequestSchema>) {
    return this.#request(
      'POST',
      `/v1/payments/agreements/${encodeURIComponent(id)}/revoke`,
      pay.cardAgreementSchema,
      body,
    );
  }

  /** Ask to import a file central fetched from the clearinghouse; granted to the first workstation only. */
  grantInboundImport(id: string) {
    return this.#request(
      'POST',
      `/v1/claims/inbound-files/${encodeURIComponent(id)}/import-grant`,
      inboundImportGrantSchema,
      {},
    );
  }

  /** The organization's current code-set release (release, digest), or none. */
  currentCodeSet() {
    return this.#request('GET', '/v1/code-sets/icd10cm', currentCodeSetSchema);
  }

  /** A release's file as text; the caller checks its SHA-256 against the advertised digest. */
  async downloadCodeSet(id: string): Promise<string> {
    const sentAt = this.opts.now().getTime();
    let res: Response;
    try {
      res = await this.#fetch(`${this.opts.baseUrl}/v1/code-sets/icd10cm/${encodeURIComponent(id)}/content`, {
        headers: { ...this.#headers(false), accept: 'text/plain' },
        signal: AbortSignal.timeout(120_000),
      });
    } catch {
      throw new CentralRequestError('network', 0, 'network', 'The central server cannot be reached.');
    }
    this.#measure(res, sentAt);
    if (!res.ok) {
      const parsed = apiErrorSchema.safeParse(await res.json().catch(() => null));
      throw new CentralRequestError(
        'http',
        res.status,
        parsed.success ? parsed.data.error.code : `http_${res.status}`,
        parsed.success ? parsed.data.error.message : `The central server answered ${res.status}.`,
      );
    }
    try {
      return await res.text();
    } catch {
      throw new CentralRequestError(
        'network',
        res.status,
        'network',
        'The download of the code set broke off.',
      );
    }
  }

  /**
   * The live channel: calls `onChange` for each change event until the stream ends or `signal` aborts.
   * Resolves when the stream ends; rejects with CentralRequestError when it cannot be opened.
   */
  async events(
    signal: AbortSignal,
    onOpen: () => void,
    onChange: (e: z.output<typeof changeEventSchema>) => void,
  ): Promise<void> {
    let res: Response;
    const sentAt = this.opts.now().getTime();
    try {
      res = await this.#fetch(`${this.opts.baseUrl}/v1/sync/events`, {
        headers: { ...this.#headers(false), accept: 'text/event-stream' },
        signal,
      });
    } catch {
      throw new CentralRequestError('network', 0, 'network', 'The central server cannot be reached.');
    }
    this.#measure(res, sentAt);
    if (!res.ok || !res.body) {
      const parsed = apiErrorSchema.safeParse(await res.json().catch(() => null));
      throw new CentralRequestError(
        'http',
        res.status,
        parsed.success ? parsed.data.error.code : `http_${res.status}`,
        parsed.success ? parsed.data.error.message : `The central server answered ${res.status}.`,
      );
    }
    onOpen();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trim();
          }
          if (event !== 'change') continue;
          try {
            const parsed = changeEventSchema.safeParse(JSON.parse(data));
            if (parsed.success) onChange(parsed.data);
          } catch {
            // A malformed event is skipped; the next poll catches up anyway.
          }
        }
      }
    } catch {
      // The stream broke (central restarted, network dropped, or we aborted): the caller reconnects.
    } finally {
      reader.releaseLock();
    }
  }
}
