import type { CardReconciliationFinding } from '../../../../server/contracts/billing/cards';

/** What each kind of reconciliation finding means, and what billing staff do about it. */
export const findingKinds: Record<
  CardReconciliationFinding['kind'],
  { label: string; means: string; todo: string }
> = {
  missing_ledger_entry: {
    label: 'Not on the ledger',
    means:
      'Stripe moved this money for Tessera, but the ledger has no entry for it: the notice from Stripe (webhook) was lost, or posting it failed.',
    todo: 'In the Stripe dashboard, find the id under Developers > Events and resend its event: central posts the entry once and the next check clears this. Do not post it by hand — it would count twice.',
  },
  amount_differs: {
    label: 'Amount differs',
    means:
      'The ledger has an entry for this Stripe payment or refund, but for another amount than Stripe moved.',
    todo: 'Open the account and compare the entry with the Stripe dashboard. Do not refund or post again; tell your Tessera administrator, who can check how the entry came to differ.',
  },
  not_in_stripe_balance: {
    label: 'Not in Stripe',
    means:
      'A card entry on the ledger that no money in Stripe’s balance backs: the clinic may not have been paid.',
    todo: 'Look the id up in the Stripe dashboard. If Stripe has no such payment, tell your Tessera administrator before the patient is told anything: their balance may be understated.',
  },
  payout_differs: {
    label: 'Payout differs',
    means: 'A payout from Stripe to the bank is not the sum of the payments, refunds and fees in it.',
    todo: 'Compare the payout in the Stripe dashboard (Balance > Payouts) with the bank deposit; if they differ, contact Stripe support with the payout id.',
  },
};
