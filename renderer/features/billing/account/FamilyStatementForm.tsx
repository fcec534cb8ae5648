import { useState } from 'react';
import {
  familyStatementRequestSchema,
  type PatientDocument,
} from '../../../../server/contracts/billing/documents';
import { todayIn } from '../../../../server/contracts/calendar';
import { call, endpointUrl } from '../../../api/client';
import { useSession } from '../../../app/auth';
import { Button } from '../../../ui/Button';
import { TextField } from '../../../ui/Field';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { formatCents } from '../billing-format';
import { lastMonth } from '../statements/statement-dates';

/**
 * The guarantor's family statement from the family account: one statement for every account they answer
 * for, for the dates given (last month by default), kept in each account's documents and opened as a PDF.
 */
export function FamilyStatementForm({ patientId, accounts }: { patientId: string; accounts: number }) {
  const session = useSession();
  const [made, setMade] = useState<PatientDocument | null>(null);
  const statement = useZodForm(familyStatementRequestSchema, {
    defaultValues: lastMonth(todayIn(session.clinic.timeZone)),
    fields: ['from', 'to'],
    onValid: async (range) => {
      setMade(null);
      setMade(await call('createFamilyStatement', { params: { patientId }, body: range }));
    },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = statement.form;
  return (
    <ZodForm form={statement} className="family-statement-form" aria-label="Family statement">
      <div className="family-statement-fields">
        <TextField
          label="From"
          type="date"
          fieldClassName="field-inline"
          error={errors.from?.message}
          {...register('from')}
        />
        <TextField
          label="to"
          type="date"
          fieldClassName="field-inline"
          error={errors.to?.message}
          {...register('to')}
        />
        <Button type="submit" busy={isSubmitting} busyLabel="Making…">
          Family statement
        </Button>
      </div>
      {made ? (
        <p className="family-statement-made" role="status">
          Family statement of {formatCents(made.amountCents ?? 0)} kept in the documents of {accounts}{' '}
          accounts.{' '}
          <a
            href={endpointUrl('getBillingDocumentPdf', { params: { patientId, documentId: made.id } })}
            target="_blank"
            rel="noreferrer"
          >
            Open PDF
          </a>
        </p>
      ) : null}
    </ZodForm>
  );
}
