import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { ResponseOf } from '../../../server/contracts/api';
import { call } from '../../api/client';
import { Button } from '../../ui/Button';
import { SelectField } from '../../ui/Field';
import { useZodForm, ZodForm } from '../../ui/zod-form';
import { formatCents } from '../billing/billing-format';

type Payment = ResponseOf<'listEraPayments'>['payments'][number];
type Unmatched = Payment['unmatched'][number];

const schema = z.object({
  choices: z.array(z.object({ value: z.string().min(1, 'Choose what this pays.') })),
});

/** Claims a remittance can pay: sent to the payer and not yet closed. */
const PAYABLE = ['sent', 'accepted', 'rejected', 'denied', 'partially_paid', 'appealed'] as const;

/**
 * The biller's answers for one remittance: for a remittance claim that matched none of ours, which claim it
 * is; for a line of a matched claim that matched none of its lines, which line. Posted as resolutions
 * grouped by remittance claim.
 */
export function AssistedPostingForm({ payment, onPosted }: { payment: Payment; onPosted: (r: ResponseOf<'postAssistedEra'>) => void }) {
  const queryClient = useQueryClient();
  const needsClaims = payment.unmatched.some((u) => u.eraLineIndex === null);
  const board = useQuery({
    queryKey: ['claims', 'board', 'payable'],
    queryFn: ({ signal }) => call('listClaims', { signal }),
    enabled: needsClaims,
  });
  const claimIds = [...new Set(payment.unmatched.map((u) => u.claimId).filter((c): c is string => !!c))];
  const details = useQueries({
    queries: claimIds.map((id) => ({ queryKey: ['claims', 'claim', id], queryFn: ({ signal }: { signal: AbortSignal }) => call('getClaim', { params: { id }, signal }) })),
  });
  const linesOf = (claimId: string | null) => details.find((d) => d.data?.claim.id === claimId)?.data?.lines ?? [];

  const { form, server, submit } = useZodForm(schema, {
    defaultValues: { choices: payment.unmatched.map(() => ({ value: '' })) },
    fields: [],
    onValid: async (v) => {
      const byClaim = new Map<number, { eraClaimIndex: number; claimId: string; lines: { eraLineIndex: number; claimLineId: string }[] }>();
      payment.unmatched.forEach((u, i) => {
        const value = v.choices[i]!.value;
        const r = byClaim.get(u.eraClaimIndex) ?? { eraClaimIndex: u.eraClaimIndex, claimId: u.claimId ?? value, lines: [] };
        if (u.eraLineIndex === null) r.claimId = value;
        else r.lines.push({ eraLineIndex: u.eraLineIndex, claimLineId: value });
        byClaim.set(u.eraClaimIndex, r);
      });
      const result = await call('postAssistedEra', { params: { id: payment.id }, body: { resolutions: [...byClaim.values()] } });
      onPosted(result);
      void queryClient.invalidateQueries({ queryKey: ['claims'] });
    },
  });
  const payable = (board.data?.claims ?? []).filter((c) => (PAYABLE as readonly string[]).includes(c.status));
  const describe = (u: Unmatched) =>
    u.eraLineIndex === null
      ? `Remittance claim ${u.patientControlNumber} (${formatCents(u.chargeCents)})`
      : `Line ${u.code ?? ''} ${formatCents(u.chargeCents)} on claim ${u.patientControlNumber}`;

  return (
    <ZodForm form={{ server, submit }} aria-label={`Match and post the remittance from ${payment.payerName}`}>
      <table className="table table-dense">
        <thead>
          <tr>
            <th scope="col">From the remittance</th>
            <th scope="col">Why it did not match</th>
            <th scope="col">Pays</th>
          </tr>
        </thead>
        <tbody>
          {payment.unmatched.map((u, i) => (
            <tr key={`${u.eraClaimIndex}-${u.eraLineIndex ?? 'c'}`}>
              <td>{describe(u)}</td>
              <td>{u.reason ?? '—'}</td>
              <td>
                <SelectField
                  label={u.eraLineIndex === null ? `Claim for ${u.patientControlNumber}` : `Claim line for ${u.code ?? ''} ${formatCents(u.chargeCents)}`}
                  {...form.register(`choices.${i}.value`)}
                  error={form.formState.errors.choices?.[i]?.value?.message}
                >
                  <option value="">Choose…</option>
                  {u.eraLineIndex === null
                    ? payable.map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.patientControlNumber} · {c.patientName} · {c.payerName} · {formatCents(c.totalCents)}
                        </option>
                      ))
                    : linesOf(u.claimId).map((l) => (
                        <option key={l.id} value={l.id}>
                          {l.position}. {[l.code, ...l.modifiers].join('-')} · {l.dateOfService} · {formatCents(l.chargeCents)}
                        </option>
                      ))}
                </SelectField>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="button-row">
        <Button variant="primary" type="submit" busy={form.formState.isSubmitting} busyLabel="Posting…">
          Post this remittance
        </Button>
      </p>
    </ZodForm>
  );
}
