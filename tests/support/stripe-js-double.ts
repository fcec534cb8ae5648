import type { StripeDouble, TestCard } from './stripe-double';

/**
 * What Stripe.js does in the patient's browser, against the recorded-contract Stripe double: the Payment
 * Element's `confirmPayment` / `confirmSetup` POST `/v1/payment_intents/:id/confirm` (or setup_intents) with
 * the publishable key and the intent's client secret, and resolve to `{ paymentIntent }` / `{ setupIntent }`
 * or `{ error }` (Stripe.js never throws for a declined card). The card is one of Stripe's test cards.
 *
 * `stripeJsDouble` is the browser half: a script for Playwright's `addInitScript` that defines
 * `window.Stripe` with the shape renderer/portal/pages/billing/stripe-js.ts uses; its confirm calls
 * `window.__stripeConfirm`, which the e2e exposes with `confirmLikeStripeJs` (page.exposeFunction).
 */

export type ConfirmKind = 'payment' | 'setup';

const CARD_PM: Record<TestCard, string> = {
  visa: 'pm_card_visa',
  mastercard: 'pm_card_mastercard',
  declined: 'pm_card_chargeDeclined',
  insufficient_funds: 'pm_card_chargeDeclinedInsufficientFunds',
  authentication_required: 'pm_card_authenticationRequired',
};

export async function confirmLikeStripeJs(
  stripe: StripeDouble,
  kind: ConfirmKind,
  clientSecret: string,
  card: TestCard,
): Promise<Record<string, unknown>> {
  const id = clientSecret.split('_secret_')[0]!;
  const res = await fetch(`${stripe.url}/v1/${kind}_intents/${encodeURIComponent(id)}/confirm`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stripe.publishableKey}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ client_secret: clientSecret, payment_method: CARD_PM[card] }).toString(),
  });
  const body = (await res.json()) as Record<string, any>;
  if (!res.ok) {
    const e = body.error ?? {};
    return { error: { type: e.type, code: e.code, decline_code: e.decline_code, message: e.message } };
  }
  return kind === 'payment'
    ? { paymentIntent: { id: body.id, status: body.status } }
    : { setupIntent: { id: body.id, status: body.status } };
}

/**
 * The browser half (runs in the page before its scripts): `window.Stripe(pk)` → `elements({ clientSecret })`
 * → `create('payment').mount(el)` draws a labelled choice of Stripe test cards in place of Stripe's frame.
 */
export function stripeJsDouble() {
  type Confirm = (kind: string, clientSecret: string, card: string) => Promise<unknown>;
  const w = window as unknown as { Stripe: unknown; __stripeConfirm: Confirm };
  w.Stripe = (_publishableKey: string) => {
    let secret = '';
    let select: HTMLSelectElement | null = null;
    const elements = (opts: { clientSecret: string }) => {
      secret = opts.clientSecret;
      return {
        create: () => ({
          mount(el: HTMLElement) {
            el.innerHTML = '';
            const label = document.createElement('label');
            label.textContent = 'Test card (Stripe double)';
            label.htmlFor = 'stripe-double-card';
            select = document.createElement('select');
            select.id = 'stripe-double-card';
            select.className = 'input';
            for (const [value, text] of [
              ['visa', 'Visa 4242 4242 4242 4242'],
              ['mastercard', 'Mastercard 5555 5555 5555 4444'],
              ['declined', 'Declined 4000 0000 0000 0002'],
              ['insufficient_funds', 'Insufficient funds 4000 0000 0000 9995'],
            ]) {
              const o = document.createElement('option');
              o.value = value!;
              o.textContent = text!;
              select.appendChild(o);
            }
            el.append(label, select);
          },
          destroy() {
            select?.parentElement?.replaceChildren();
          },
        }),
      };
    };
    const confirm = (kind: string) => () => w.__stripeConfirm(kind, secret, select?.value ?? 'visa');
    return { elements, confirmPayment: confirm('payment'), confirmSetup: confirm('setup') };
  };
}
