import type { z } from 'zod';
import type {
  CardActivity,
  CardAgreement,
  CardPayment,
  CardReader,
  CardRefundResult,
  cardAgreementRequestSchema,
  cardPaymentLinkSchema,
  cardReaderPaymentSchema,
  cardRefundRequestSchema,
  cardSavedCardPaymentSchema,
} from '../../../contracts/billing/cards';
import { CARDS_NEED_CENTRAL, CARDS_NEED_ENROLLMENT } from '../../../contracts/billing/cards';
import type { AuditAction } from '../../../contracts/audit';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import { CentralRequestError, type CentralClient } from '../../sync/central-client';
import type { SyncEngine } from '../../sync/engine';
import { requireLedgerPatient } from './ledger';

/**
 * Card payments on the workstation: every one is asked of central (which alone holds the Stripe key) with
 * this workstation's credential. No card data passes here; the payment and refund entries reach this
 * workstation's ledger when central posts them (a pull, prompted by central's live channel). Without
 * central the desk is told so in a sentence, and takes cash or a check (which work offline).
 *
 * Every request is audited (who asked, for which patient, how much, and what came of it).
 */

type Out<S extends z.ZodType> = z.output<S>;

export class CardPayments {
  constructor(
    private readonly store: Store,
    private readonly sync: SyncEngine,
  ) {}

  async #ask<T>(fn: (client: CentralClient) => Promise<T>): Promise<T> {
    const client = this.sync.centralClient();
    if (!client) throw new AppError(409, 'not_enrolled', CARDS_NEED_ENROLLMENT);
    try {
      return await fn(client);
    } catch (err) {
      throw cardError(err);
    }
  }

  #audit(
    actor: Actor,
    action: AuditAction,
    patientId: string | null,
    detail: Record<string, unknown>,
    ok: boolean,
  ) {
    this.store.audit(actor, { action, outcome: ok ? 'success' : 'failure', patientId, detail });
  }

  /** Runs a request, audits it either way, and pulls soon after a success so the ledger shows it. */
  async #act<T extends { status?: string }>(
    actor: Actor,
    action: AuditAction,
    patientId: string | null,
    detail: Record<string, unknown>,
    fn: (client: CentralClient) => Promise<T>,
  ): Promise<T> {
    let result: T;
    try {
      result = await this.#ask(fn);
    } catch (err) {
      this.#audit(actor, action, patientId, { ...detail, refused: (err as AppError).code ?? 'error' }, false);
      throw err;
    }
    this.#audit(actor, action, patientId, { ...detail, status: result.status ?? null }, true);
    if (result.status === 'succeeded') void this.sync.kick();
    return result;
  }

  readers(): Promise<CardReader[]> {
    return this.#ask(async (c) => (await c.cardReaders()).readers);
  }

  async activity(patientId: string): Promise<CardActivity> {
    requireLedgerPatient(this.store, patientId);
    return this.#ask(async (c) => {
      const [list, agreements] = await Promise.all([c.cardPayments(patientId), c.cardAgreements(patientId)]);
      return { payments: list.payments, refunds: list.refunds, agreements: agreements.agreements };
    });
  }

  readerPayment(
    actor: Actor & { userId: string },
    patientId: string,
    body: Out<typeof cardReaderPaymentSchema>,
  ): Promise<CardPayment> {
    requireLedgerPatient(this.store, patientId);
    return this.#act(
      actor,
      'card.payment',
      patientId,
      { cardPaymentId: body.requestId, purpose: 'reader', amountCents: body.amountCents },
      (c) => c.startReaderPayment({ ...body, patientId, actorUserId: actor.userId }),
    );
  }

  paymentLink(
    actor: Actor & { userId: string },
    patientId: string,
    body: Out<typeof cardPaymentLinkSchema>,
  ): Promise<CardPayment> {
    requireLedgerPatient(this.store, patientId);
    return this.#act(
      actor,
      'card.payment',
      patientId,
      { cardPaymentId: body.requestId, purpose: 'link', amountCents: body.amountCents },
      (c) => c.createPaymentLink({ ...body, patientId, actorUserId: actor.userId }),
    );
  }

  savedCardPayment(
    actor: Actor & { userId: string },
    patientId: string,
    body: Out<typeof cardSavedCardPaymentSchema>,
  ): Promise<CardPayment> {
    requireLedgerPatient(this.store, patientId);
    return this.#act(
      actor,
      'card.payment',
      patientId,
      {
        cardPaymentId: body.requestId,
        purpose: 'saved_card',
        agreementId: body.agreementId,
        amountCents: body.amountCents,
      },
      async (c) => {
        const agreements = (await c.cardAgreements(patientId)).agreements;
        if (!agreements.some((a) => a.id === body.agreementId))
          throw new AppError(404, 'not_found', 'That card-on-file agreement is not this patient’s.');
        return c.chargeSavedCard({ ...body, actorUserId: actor.userId });
      },
    );
  }

  payment(id: string): Promise<CardPayment> {
    return this.#ask((c) => c.cardPayment(id));
  }

  async cancel(actor: Actor, id: string): Promise<CardPayment> {
    return this.#act(actor, 'card.payment', null, { cardPaymentId: id, cancel: true }, (c) =>
      c.cancelCardPayment(id),
    );
  }

  async refund(
    actor: Actor & { userId: string },
    id: string,
    body: Out<typeof cardRefundRequestSchema>,
  ): Promise<CardRefundResult> {
    const result = await this.#act(
      actor,
      'card.refund',
      null,
      { cardPaymentId: id, cardRefundId: body.requestId, amountCents: body.amountCents, reason: body.reason },
      async (c) => {
        const r = await c.refundCardPayment({ ...body, cardPaymentId: id, actorUserId: actor.userId });
        return { ...r, status: r.refund.status };
      },
    );
    return { refund: result.refund, payment: result.payment };
  }

  agreementStart(
    actor: Actor & { userId: string },
    patientId: string,
    body: Out<typeof cardAgreementRequestSchema>,
  ): Promise<CardAgreement> {
    requireLedgerPatient(this.store, patientId);
    return this.#act(
      actor,
      'card.agreement',
      patientId,
      { agreementId: body.requestId, maxAmountCents: body.maxAmountCents, endsOn: body.endsOn },
      (c) => c.startCardAgreement({ ...body, patientId, actorUserId: actor.userId }),
    );
  }

  agreementRevoke(actor: Actor & { userId: string }, id: string): Promise<CardAgreement> {
    return this.#act(actor, 'card.agreement', null, { agreementId: id, revoke: true }, (c) =>
      c.revokeCardAgreement(id, { actorUserId: actor.userId }),
    );
  }
}

/** Central's answer as the desk's: its sentence when it refused, "needs central" when it could not answer. */
export function cardError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (!(err instanceof CentralRequestError)) return err;
  if (err.kind === 'network') return new AppError(503, 'central_unreachable', CARDS_NEED_CENTRAL);
  if (err.status === 401 || err.status === 403)
    return new AppError(
      503,
      'central_refused',
      'Card payments need the central server, and it refused this workstation’s credential. An administrator can check Admin > Sync.',
    );
  if (err.status >= 500 && err.status !== 502 && err.status !== 503)
    return new AppError(502, 'central_error', err.message);
  return new AppError(err.status, err.code, err.message, err.fields);
}
