import { z } from 'zod';
import type { OpenCharge, PostingResult } from '../../../../../server/contracts/billing/ledger';
import { formatCalendarDate } from '../../../../ui/format';
import { formatCents } from '../../billing-format';

/**
 * What the account screen's posting dialogs share: the props every one takes, the reason field of those
 * that need one, and how an open charge is named in a charge picker.
 */
export interface PostingDialogProps {
  patientId: string;
  onClose: () => void;
  onPosted: (r: PostingResult) => void;
}

export const reasonSchema = z
  .string()
  .trim()
  .min(1, 'Give a reason.')
  .max(500, 'Keep the reason under 500 characters.');

export const chargeLabel = (c: OpenCharge) =>
  `${c.serviceDate ? formatCalendarDate(c.serviceDate) : 'No date'} — ${formatCents(c.openCents)} open${c.memo ? ` · ${c.memo}` : ''}`;
