import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ClaimDetail } from '../../../server/contracts/claims/api';
import type { ClaimStatus } from '../../../server/contracts/claims/records';
import { call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useConfirm } from '../../ui/ConfirmDialog';

/** The statuses the server voids (services/claims/void.ts): the payer has, or may have, the claim on file. */
const VOIDABLE: readonly ClaimStatus[] = ['sent', 'accepted', 'paid', 'partially_paid', 'denied', 'appealed'];

/**
 * Voiding a claim the payer holds, from its page: after asking, a void claim (frequency 8 with the payer's
 * claim number in REF*F8) is made for the next batch, this claim closes and its lines can be billed again.
 * Offered only with the payer's claim number; without it the button says why it is not there.
 */
export function VoidClaim({ claim }: { claim: ClaimDetail['claim'] }) {
  const queryClient = useQueryClient();
  const [confirmDialog, confirm] = useConfirm();
  const voiding = useMutation({
    mutationFn: () => call('voidClaim', { params: { id: claim.id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['claims'] }),
  });
  if (claim.frequency === 'void' || !VOIDABLE.includes(claim.status)) {
    return voiding.data ? <VoidDone voidClaimId={voiding.data.voidClaimId} /> : null;
  }
  if (!claim.payerClaimNumber)
    return <span className="muted">Voiding needs the payer’s claim number (from the 277CA or the 835).</span>;
  const ask = async () => {
    const yes = await confirm({
      title: 'Void this claim?',
      message: `A void claim (frequency 8, payer claim number ${claim.payerClaimNumber}) goes to ${claim.payerName} in the next batch, and this claim closes. Its lines can then be billed again. Money the payer already paid comes back through its 835 reversal.`,
      confirmLabel: 'Void the claim',
      cancelLabel: 'Keep the claim',
      danger: true,
    });
    if (yes) voiding.mutate();
  };
  return (
    <>
      <Button variant="danger" onClick={() => void ask()} busy={voiding.isPending} busyLabel="Voiding…">Void claim</Button>
      {voiding.isError ? <Alert tone="error">{errorMessage(voiding.error)}</Alert> : null}
      {confirmDialog}
    </>
  );
}

function VoidDone({ voidClaimId }: { voidClaimId: string }) {
  return (
    <Alert tone="success" testId="claim-voided">
      Voided. <Link to={`/billing/claims/${voidClaimId}`}>The void claim</Link> is ready for the next batch.
    </Alert>
  );
}
