/**
 * The billing page's only contact with Stripe: a tiny adapter over Stripe.js (`window.Stripe`, loaded from
 * js.stripe.com as Stripe requires; central's CSP allows that host and nothing else of Stripe's). The card
 * number is typed into Stripe's own Payment Element frame and goes to Stripe, never to central or this page.
 *
 * Only the parts of Stripe.js's API the page uses are typed here, so an end-to-end test can stand in a
 * double of the same shape (`window.Stripe` defined before the page loads) that confirms through the
 * recorded-contract Stripe double; the page cannot tell the difference.
 */

export interface StripeJsError {
  type?: string;
  code?: string;
  decline_code?: string;
  message?: string;
}
export interface ConfirmResult {
  error?: StripeJsError;
  paymentIntent?: { id: string; status: string };
  setupIntent?: { id: string; status: string };
}
interface PaymentElement {
  mount(el: HTMLElement): void;
  destroy(): void;
}
interface Elements {
  create(type: 'payment', options?: Record<string, unknown>): PaymentElement;
}
interface StripeJs {
  elements(options: { clientSecret: string; appearance?: Record<string, unknown> }): Elements;
  confirmPayment(options: { elements: Elements; redirect: 'if_required'; confirmParams?: Record<string, unknown> }): Promise<ConfirmResult>;
  confirmSetup(options: { elements: Elements; redirect: 'if_required'; confirmParams?: Record<string, unknown> }): Promise<ConfirmResult>;
}
type StripeFactory = (publishableKey: string, options?: { locale?: string }) => StripeJs;

declare global {
  interface Window {
    Stripe?: StripeFactory;
  }
}

const STRIPE_JS = 'https://js.stripe.com/v3/';
let loading: Promise<StripeFactory> | null = null;

function loadStripeJs(): Promise<StripeFactory> {
  if (window.Stripe) return Promise.resolve(window.Stripe);
  loading ??= new Promise<StripeFactory>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = STRIPE_JS;
    script.async = true;
    script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error('stripe_js')));
    script.onerror = () => {
      loading = null;
      reject(new Error('stripe_js'));
    };
    document.head.appendChild(script);
  });
  return loading;
}

/** A mounted Payment Element for one intent; `confirm` pays (or saves the card) without leaving the page. */
export interface CardForm {
  confirm(): Promise<ConfirmResult>;
  destroy(): void;
}

export async function mountCardForm(
  el: HTMLElement,
  opts: { publishableKey: string; clientSecret: string; mode: 'payment' | 'setup'; locale: string },
): Promise<CardForm> {
  const factory = await loadStripeJs();
  const stripe = factory(opts.publishableKey, { locale: opts.locale });
  const elements = stripe.elements({ clientSecret: opts.clientSecret });
  const element = elements.create('payment', { layout: 'tabs' });
  element.mount(el);
  const params = { elements, redirect: 'if_required' as const, confirmParams: { return_url: window.location.href } };
  return {
    confirm: () => (opts.mode === 'payment' ? stripe.confirmPayment(params) : stripe.confirmSetup(params)),
    destroy: () => element.destroy(),
  };
}
