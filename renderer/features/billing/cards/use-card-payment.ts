import { useCallback, useEffect, useRef, useState } from 'react';
import type { CardPayment } from '../../../../server/contracts/billing/cards';
import type { PostingResult } from '../../../../server/contracts/billing/ledger';
import { call } from '../../../api/client';

/**
 * Follows one card payment at central until it is settled (the reader, or the patient on their phone),
 * then until its ledger entry has arrived on this workstation (central posts it; the workstation pulls
 * it), and hands that posting to `onPaid`.
 */
export function useCardPayment(patientId: string, onPaid: (r: PostingResult) => void) {
  const [payment, setPayment] = useState<CardPayment | null>(null);
  /** The payment whose ledger entry was handed over (or looked for in vain). */
  const [delivered, setDelivered] = useState<string | null>(null);
  const [lostSight, setLostSight] = useState<string | null>(null);
  const onPaidRef = useRef(onPaid);
  useEffect(() => {
    onPaidRef.current = onPaid;
  }, [onPaid]);

  const id = payment?.id ?? null;
  const status = payment?.status ?? null;
  useEffect(() => {
    if (!id || status !== 'pending') return;
    const ac = new AbortController();
    const timer = setInterval(() => {
      call('cardPayment', { params: { id }, signal: ac.signal, background: true })
        .then((p) => {
          setLostSight(null);
          setPayment(p);
        })
        .catch((err: unknown) => {
          if (!ac.signal.aborted) setLostSight((err as Error).message);
        });
    }, 1_000);
    return () => {
      ac.abort();
      clearInterval(timer);
    };
  }, [id, status]);

  // Once paid: the entry central posted arrives with the next pull (central's live channel prompts it).
  const intentId = payment?.paymentIntentId ?? null;
  useEffect(() => {
    if (status !== 'succeeded' || !intentId) return;
    let stopped = false;
    void (async () => {
      for (let i = 0; i < 30 && !stopped; i++) {
        await new Promise((r) => setTimeout(r, i === 0 ? 300 : 1_000));
        if (stopped) return;
        const account = await call('getPatientAccount', {
          params: { patientId },
          query: { kind: 'payment' },
          background: true,
        }).catch(() => null);
        const entry = account?.entries.find((e) => e.externalRef === intentId);
        if (account && entry) {
          setDelivered(intentId);
          onPaidRef.current({
            entries: [entry],
            allocations: account.allocations.filter((a) => a.paymentEntryId === entry.id),
            balances: account.balances,
          });
          return;
        }
      }
      setDelivered(intentId);
    })();
    return () => {
      stopped = true;
    };
  }, [status, intentId, patientId]);

  const posting = status === 'succeeded' && Boolean(intentId) && delivered !== intentId;
  const reset = useCallback(() => {
    setPayment(null);
    setLostSight(null);
  }, []);
  return { payment, setPayment, posting, lostSight, reset };
}
