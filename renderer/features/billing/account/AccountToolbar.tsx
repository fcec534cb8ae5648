import { useEffect } from 'react';
import { Link, useNavigate } from 'react-router';
import type { PatientAccount } from '../../../../server/contracts/billing/ledger';
import { useCan } from '../../../app/auth';
import { Button } from '../../../ui/Button';
import type { AccountDialog } from './AccountDialogs';

/** The single-key shortcut of a toolbar button, shown but not read out (aria-keyshortcuts says it). */
function Key({ k }: { k: string }) {
  return (
    <kbd className="key-hint" aria-hidden="true">
      {k}
    </kbd>
  );
}

/**
 * The account's postings, as buttons and as single keys while no dialog is open and no field has focus
 * (P payment, G charge, A adjust, W write off, R refund, T transfer, C apply credit, K checkout); each only
 * for those who may.
 */
export function AccountToolbar({
  account: a,
  dialogOpen,
  onOpen,
}: {
  account: PatientAccount;
  dialogOpen: boolean;
  onOpen: (d: AccountDialog) => void;
}) {
  const can = useCan();
  const navigate = useNavigate();
  const mayPost = can('billing.post');
  const patientId = a.patientId;
  const openTotal = a.openCharges.reduce((t, c) => t + c.openCents, 0);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogOpen || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      const k = e.key.toLowerCase();
      const open: Record<string, AccountDialog> = {};
      if (can('billing.post'))
        Object.assign(open, {
          p: { kind: 'payment' },
          a: { kind: 'adjustment' },
          t: { kind: 'transfer' },
          c: { kind: 'apply' },
        });
      if (can('billing.writeoff')) open.w = { kind: 'write_off' };
      if (can('billing.refund')) open.r = { kind: 'refund' };
      if (open[k]) {
        e.preventDefault();
        onOpen(open[k]);
      } else if (k === 'k' && mayPost) {
        e.preventDefault();
        void navigate(`/billing/checkout/${patientId}`);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialogOpen, can, mayPost, navigate, patientId, onOpen]);

  return (
    <div className="button-row account-actions" role="toolbar" aria-label="Post to the account">
      {mayPost ? (
        <>
          <Button variant="primary" onClick={() => onOpen({ kind: 'payment' })} aria-keyshortcuts="P">
            Payment <Key k="P" />
          </Button>
          <Button onClick={() => onOpen({ kind: 'charge' })} aria-keyshortcuts="G">
            Charge <Key k="G" />
          </Button>
          <Button onClick={() => onOpen({ kind: 'adjustment' })} aria-keyshortcuts="A">
            Adjust <Key k="A" />
          </Button>
        </>
      ) : null}
      {can('billing.writeoff') ? (
        <Button onClick={() => onOpen({ kind: 'write_off' })} aria-keyshortcuts="W">
          Write off <Key k="W" />
        </Button>
      ) : null}
      {can('billing.refund') ? (
        <Button onClick={() => onOpen({ kind: 'refund' })} aria-keyshortcuts="R">
          Refund <Key k="R" />
        </Button>
      ) : null}
      {mayPost ? (
        <>
          <Button onClick={() => onOpen({ kind: 'transfer' })} aria-keyshortcuts="T">
            Transfer <Key k="T" />
          </Button>
          <Button
            onClick={() => onOpen({ kind: 'apply' })}
            disabled={a.balances.unappliedCreditCents <= 0 || openTotal <= 0}
            aria-keyshortcuts="C"
          >
            Apply credit <Key k="C" />
          </Button>
          <Link className="btn btn-secondary" to={`/billing/checkout/${patientId}`} aria-keyshortcuts="K">
            Checkout <Key k="K" />
          </Link>
        </>
      ) : null}
    </div>
  );
}
