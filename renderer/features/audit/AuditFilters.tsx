import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { auditActions, auditOutcomeSchema, auditSources } from '../../../server/contracts/audit';
import { call } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan } from '../../app/auth';
import { Button } from '../../ui/Button';
import { SelectField, TextField } from '../../ui/Field';
import { actionLabels, outcomeLabels } from './labels';

const optionalDate = z.union([z.literal(''), z.iso.date({ message: 'Use a date like 2025-03-31.' })]);

const filterSchema = z
  .object({
    from: optionalDate,
    to: optionalDate,
    userId: z.string().trim().max(64),
    patientId: z.string().trim().max(64),
    action: z.string().max(64),
    outcome: z.enum(['', ...auditOutcomeSchema.options]),
    source: z.enum(['', ...auditSources]),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    path: ['to'],
    message: 'The end date is before the start date.',
  });
export type AuditFilterValues = z.output<typeof filterSchema>;

export const emptyFilters: AuditFilterValues = {
  from: '',
  to: '',
  userId: '',
  patientId: '',
  action: '',
  outcome: '',
  source: '',
};

/** Portal acts by group; "patient_portal" alone lists them all. */
const portalActionGroups = [
  ['patient_portal', 'Portal: every act'],
  ['patient_portal.sign_in', 'Portal: sign-ins (and refusals)'],
  ['patient_portal.appointment', 'Portal: appointment acts (cancel, book, video)'],
  ['patient_portal.billing', 'Portal: bills, payments and cards'],
  ['patient_portal.documents', 'Portal: documents'],
  ['patient_portal.messages', 'Portal: messages'],
] as const;

interface AuditFiltersProps {
  initial: AuditFilterValues;
  onApply: (filters: AuditFilterValues) => void;
}

/** Filters apply on submit (Enter or "Apply"), not per keystroke, so the report does not jump while typing. */
export function AuditFilters({ initial, onApply }: AuditFiltersProps) {
  const can = useCan();
  const mayListUsers = can('users.manage');
  const users = useQuery({ queryKey: keys.users, queryFn: () => call('listUsers'), enabled: mayListUsers });
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors },
  } = useForm<AuditFilterValues>({ resolver: zodResolver(filterSchema), defaultValues: initial });

  return (
    <form
      className="filters"
      onSubmit={(e) => void handleSubmit(onApply)(e)}
      noValidate
      aria-label="Audit filters"
    >
      <TextField label="From" type="date" error={errors.from?.message} {...register('from')} />
      <TextField label="To" type="date" error={errors.to?.message} {...register('to')} />
      {mayListUsers && users.isSuccess ? (
        <SelectField label="User" error={errors.userId?.message} {...register('userId')}>
          <option value="">All users</option>
          {users.data.users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.username} — {u.fullName}
            </option>
          ))}
        </SelectField>
      ) : (
        <TextField
          label="User id"
          spellCheck={false}
          error={errors.userId?.message}
          {...register('userId')}
        />
      )}
      <TextField
        label="Patient id"
        spellCheck={false}
        error={errors.patientId?.message}
        {...register('patientId')}
      />
      <SelectField label="Action" error={errors.action?.message} {...register('action')}>
        <option value="">All actions</option>
        {auditActions.map((a) => (
          <option key={a} value={a}>
            {actionLabels[a]} ({a})
          </option>
        ))}
        {portalActionGroups.map(([a, label]) => (
          <option key={a} value={a}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField label="Outcome" error={errors.outcome?.message} {...register('outcome')}>
        <option value="">All outcomes</option>
        {auditOutcomeSchema.options.map((o) => (
          <option key={o} value={o}>
            {outcomeLabels[o]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Source" error={errors.source?.message} {...register('source')}>
        <option value="">All sources</option>
        <option value="workstation">This workstation</option>
        <option value="portal">Patient portal</option>
      </SelectField>
      <div className="filters-buttons">
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        <Button
          onClick={() => {
            reset(emptyFilters);
            onApply(emptyFilters);
          }}
        >
          Clear filters
        </Button>
      </div>
    </form>
  );
}
