import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { workDenialBodySchema } from '../../../server/contracts/claims/api';
import type { DenialAction } from '../../../server/contracts/claims/records';
import { call, errorMessage } from '../../api/client';
import { useCan } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useConfirm } from '../../ui/ConfirmDialog';
import { Dialog } from '../../ui/Dialog';
import { TextAreaField } from '../../ui/Field';
import { useZodForm, ZodForm } from '../../ui/zod-form';
import { formatCents } from '../billing/billing-format';

/**
 * What the biller can do with one denied amount (docs/claims.md "Denials"): resubmit the claim corrected as a
 * replacement (frequency 7), write an appeal note, write it off (only with `billing.writeoff`; the server
 * checks it again), or bill the patient (the amount moves from insurance to the patient). Every action is
 * one audited write on the workstation; the worklist and the claim refresh after it.
 */
export function DenialActions({ postingId, amountCents, label }: { postingId: string; amountCents: number; label: string }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const [confirmDialog, confirm] = useConfirm();
  const [appealing, setAppealing] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const work = useMutation({
    mutationFn: (body: { action: DenialAction; note?: string }) => call('workDenial', { params: { id: postingId }, body }),
    onSuccess: (_r, body) => {
      setDone(
        body.action === 'resubmitted'
          ? 'A corrected replacement claim is ready to batch.'
          : body.action === 'appealed'
            ? 'Appeal recorded.'
            : body.action === 'written_off'
              ? `${formatCents(amountCents)} written off.`
              : `${formatCents(amountCents)} moved to the patient.`,
      );
      void queryClient.invalidateQueries({ queryKey: ['claims'] });
    },
  });

  const ask = async (action: DenialAction) => {
    const text = {
      resubmitted: ['Resubmit as a replacement?', 'A replacement claim (frequency 7, with the payer’s claim number) is made with the same lines; this claim closes. Fix the set-up or coverage first if that caused the denial.', 'Make the replacement'],
      written_off: ['Write off the denied amount?', `${formatCents(amountCents)} is written off against insurance. This cannot be undone except by a reversal.`, 'Write off'],
      billed_patient: ['Bill the patient?', `${formatCents(amountCents)} moves from insurance to the patient’s balance.`, 'Bill the patient'],
    } as const;
    if (action === 'appealed') return setAppealing(true);
    const [title, message, confirmLabel] = text[action];
    if (await confirm({ title, message, confirmLabel, cancelLabel: 'Keep the denial open', danger: action === 'written_off' })) work.mutate({ action });
  };

  if (done) return <span role="status" className="muted">{done}</span>;
  return (
    <div className="denial-actions" role="group" aria-label={`Work the denial ${label}`}>
      <Button size="small" onClick={() => void ask('resubmitted')} busy={work.isPending}>Resubmit</Button>
      <Button size="small" onClick={() => void ask('appealed')} busy={work.isPending}>Appeal</Button>
      {can('billing.writeoff') ? (
        <Button size="small" onClick={() => void ask('written_off')} busy={work.isPending}>Write off</Button>
      ) : null}
      <Button size="small" onClick={() => void ask('billed_patient')} busy={work.isPending}>Bill patient</Button>
      {work.isError ? <Alert tone="error">{errorMessage(work.error)}</Alert> : null}
      {confirmDialog}
      {appealing ? (
        <AppealDialog
          onClose={() => setAppealing(false)}
          onSave={async (note) => {
            await work.mutateAsync({ action: 'appealed', note });
            setAppealing(false);
          }}
        />
      ) : null}
    </div>
  );
}

const appealSchema = z.object({
  note: z.string().trim().min(1, 'Write the appeal note.').pipe(workDenialBodySchema.shape.note.unwrap()),
});

function AppealDialog({ onClose, onSave }: { onClose: () => void; onSave: (note: string) => Promise<void> }) {
  const { form, server, submit } = useZodForm(appealSchema, {
    defaultValues: { note: '' },
    fields: ['note'],
    onValid: (v) => onSave(v.note),
  });
  return (
    <Dialog title="Appeal the denial" onClose={onClose} testId="appeal-dialog">
      <ZodForm form={{ server, submit }} aria-label="Appeal note">
        <TextAreaField
          label="Appeal note"
          hint="What you sent the payer and why the claim should be paid."
          rows={4}
          data-autofocus
          {...form.register('note')}
          error={form.formState.errors.note?.message}
        />
        <p className="button-row">
          <Button variant="primary" type="submit" busy={form.formState.isSubmitting}>Record the appeal</Button>
          <Button onClick={onClose}>Cancel</Button>
        </p>
      </ZodForm>
    </Dialog>
  );
}
