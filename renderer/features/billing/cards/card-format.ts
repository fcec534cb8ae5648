import type { CardAgreement, CardPayment } from '../../../../server/contracts/billing/cards';
import { formatCents } from '../../../../server/contracts/billing/money';
import { formatCalendarDate } from '../../../ui/format';

const BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  interac: 'Interac',
};

/** "Visa ending 4242", or "Card" when Stripe has not said which. */
export function cardName(brand: string | null, last4: string | null): string {
  const b = brand ? (BRANDS[brand] ?? brand.charAt(0).toUpperCase() + brand.slice(1)) : 'Card';
  return last4 ? `${b} ending ${last4}` : b;
}

export const agreementSummary = (a: CardAgreement) =>
  `${cardName(a.cardBrand, a.cardLast4)} · up to ${formatCents(a.maxAmountCents)} a charge until ${formatCalendarDate(a.endsOn)}`;

export const paymentStatusLabels: Record<CardPayment['status'], string> = {
  pending: 'Waiting',
  succeeded: 'Paid',
  failed: 'Declined',
  canceled: 'Cancelled',
};

/** The clinic's calendar date today, as YYYY-MM-DD (the agreement end date's lower bound). */
export function todayYmd(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
