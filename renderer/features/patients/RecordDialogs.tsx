import { useForm, useWatch } from 'react-hook-form';
import { centsToInput, parseCents } from '../../../server/contracts/billing/money';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import {
  coverageInputSchema,
  coveragePriorityLabels,
  emergencyContactInputSchema,
  guarantorInputSchema,
  relationshipLabels,
  subscriberRelationshipOptions,
  type Coverage,
  type EmergencyContact,
  type Guarantor,
} from '../../../server/contracts/patients';
import { call } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { AddressFields } from './AddressFields';
import { formatPhone } from './patient-format';

/** The dialogs that add and change a patient's emergency contacts, guarantor and insurance coverages. */

interface DialogProps<T> {
  patientId: string;
  existing?: T | null;
  onClose: () => void;
  onSaved: () => void;
}

const relationOptions = (exclude: string[] = []) =>
  Object.entries(relationshipLabels)
    .filter(([v]) => !exclude.includes(v))
    .map(([v, l]) => (
      <option key={v} value={v}>
        {l}
      </option>
    ));

// ---- emergency contact ----

interface ContactValues {
  name: string;
  relationship: string;
  phone: string;
  alternatePhone: string;
  email: string;
  notes: string;
}
const contactFields: (keyof ContactValues)[] = [
  'name',
  'relationship',
  'phone',
  'alternatePhone',
  'email',
  'notes',
];
const contactResolver = zodResolver(emergencyContactInputSchema as never);

export function EmergencyContactDialog({
  patientId,
  existing,
  onClose,
  onSaved,
}: DialogProps<EmergencyContact>) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<ContactValues>({
    resolver: contactResolver as never,
    defaultValues: {
      name: existing?.name ?? '',
      relationship: existing?.relationship ?? '',
      phone: formatPhone(existing?.phone),
      alternatePhone: formatPhone(existing?.alternatePhone),
      email: existing?.email ?? '',
      notes: existing?.notes ?? '',
    },
  });
  const {
    banner: serverError,
    report,
    clear: clearServerError,
  } = useServerErrors({ setError, watch }, contactFields);
  const submit = handleSubmit(async (values) => {
    clearServerError();
    try {
      const body = values as unknown as z.output<typeof emergencyContactInputSchema>;
      if (existing)
        await call('updateEmergencyContact', { params: { id: patientId, itemId: existing.id }, body });
      else await call('createEmergencyContact', { params: { id: patientId }, body });
      onSaved();
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog title={existing ? 'Change emergency contact' : 'Add an emergency contact'} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <div className="form-grid">
          <TextField
            label="Name"
            data-autofocus
            autoComplete="off"
            error={errors.name?.message}
            {...register('name')}
          />
          <SelectField
            label="Relationship"
            error={errors.relationship?.message}
            {...register('relationship')}
          >
            <option value="">Choose…</option>
            {relationOptions(['self'])}
          </SelectField>
          <TextField
            label="Phone"
            type="tel"
            autoComplete="off"
            error={errors.phone?.message}
            {...register('phone')}
          />
          <TextField
            label="Other phone"
            type="tel"
            autoComplete="off"
            error={errors.alternatePhone?.message}
            {...register('alternatePhone')}
          />
          <TextField
            label="Email"
            type="email"
            autoComplete="off"
            error={errors.email?.message}
            {...register('email')}
          />
          <TextField label="Notes" autoComplete="off" error={errors.notes?.message} {...register('notes')} />
        </div>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
            Save contact
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

// ---- guarantor ----

interface GuarantorValues {
  relationship: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  phone: string;
  email: string;
  sameAddressAsPatient: boolean;
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
}
const guarantorFields = Object.keys({
  relationship: 0,
  firstName: 0,
  lastName: 0,
  dateOfBirth: 0,
  phone: 0,
  email: 0,
  sameAddressAsPatient: 0,
  addressLine1: 0,
  addressLine2: 0,
  city: 0,
  state: 0,
  postalCode: 0,
}) as (keyof GuarantorValues)[];
const guarantorResolver = zodResolver(guarantorInputSchema as never);

export function GuarantorDialog({ patientId, existing, onClose, onSaved }: DialogProps<Guarantor>) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    control,
    formState: { errors, isSubmitting },
  } = useForm<GuarantorValues>({
    resolver: guarantorResolver as never,
    defaultValues: {
      relationship: existing?.relationship ?? 'self',
      firstName: existing?.firstName ?? '',
      lastName: existing?.lastName ?? '',
      dateOfBirth: existing?.dateOfBirth ?? '',
      phone: formatPhone(existing?.phone),
      email: existing?.email ?? '',
      sameAddressAsPatient: existing?.sameAddressAsPatient ?? true,
      addressLine1: existing?.addressLine1 ?? '',
      addressLine2: existing?.addressLine2 ?? '',
      city: existing?.city ?? '',
      state: existing?.state ?? '',
      postalCode: existing?.postalCode ?? '',
    },
  });
  const {
    banner: serverError,
    report,
    clear: clearServerError,
  } = useServerErrors({ setError, watch }, guarantorFields);
  const [relationship, sameAddress] = useWatch({ control, name: ['relationship', 'sameAddressAsPatient'] });
  const self = relationship === 'self';
  const ownAddress = !self && !sameAddress;
  const submit = handleSubmit(async (values) => {
    clearServerError();
    try {
      await call('setGuarantor', {
        params: { id: patientId },
        body: values as unknown as z.output<typeof guarantorInputSchema>,
      });
      onSaved();
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog title="Guarantor (responsible for the bill)" onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <SelectField
          label="Who is responsible"
          data-autofocus
          error={errors.relationship?.message}
          {...register('relationship')}
        >
          {relationOptions()}
        </SelectField>
        {self ? (
          <p className="muted">The patient is responsible for their own bill.</p>
        ) : (
          <>
            <div className="form-grid">
              <TextField
                label="First name"
                autoComplete="off"
                error={errors.firstName?.message}
                {...register('firstName')}
              />
              <TextField
                label="Last name"
                autoComplete="off"
                error={errors.lastName?.message}
                {...register('lastName')}
              />
              <TextField
                label="Date of birth"
                type="date"
                error={errors.dateOfBirth?.message}
                {...register('dateOfBirth')}
              />
              <TextField
                label="Phone"
                type="tel"
                autoComplete="off"
                error={errors.phone?.message}
                {...register('phone')}
              />
              <TextField
                label="Email"
                type="email"
                autoComplete="off"
                error={errors.email?.message}
                {...register('email')}
              />
            </div>
            <Checkbox label="Lives at the patient’s address" {...register('sameAddressAsPatient')} />
            {ownAddress ? (
              <div className="form-grid">
                <AddressFields register={register} errorOf={(name) => errors[name]?.message} />
              </div>
            ) : null}
          </>
        )}
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
            Save guarantor
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

// ---- coverage ----

interface CoverageValues {
  priority: string;
  payerName: string;
  payerId: string;
  planName: string;
  memberId: string;
  groupNumber: string;
  subscriberRelationship: string;
  subscriberFirstName: string;
  subscriberLastName: string;
  subscriberDateOfBirth: string;
  effectiveFrom: string;
  effectiveTo: string;
  copay: string;
}

/** "$25", "25.00" -> 2500 cents; "" -> null; anything else is left for the schema to refuse. */
function copayCents(text: string): number | null | string {
  const t = text.trim().replace(/^\$/, '');
  if (!t) return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return text;
  return parseCents(t, Number.MAX_SAFE_INTEGER) ?? text;
}

const coverageFormSchema = z.preprocess((raw) => {
  const { copay, ...rest } = raw as CoverageValues;
  return { ...rest, copayCents: copayCents(copay) };
}, coverageInputSchema);
const coverageResolver = zodResolver(coverageFormSchema as never);
const coverageFields: (keyof CoverageValues)[] = [
  'priority',
  'payerName',
  'payerId',
  'planName',
  'memberId',
  'groupNumber',
  'subscriberRelationship',
  'subscriberFirstName',
  'subscriberLastName',
  'subscriberDateOfBirth',
  'effectiveFrom',
  'effectiveTo',
  'copay',
];

export function CoverageDialog({ patientId, existing, onClose, onSaved }: DialogProps<Coverage>) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    control,
    formState: { errors, isSubmitting },
  } = useForm<CoverageValues>({
    resolver: coverageResolver as never,
    defaultValues: {
      priority: existing?.priority ?? 'primary',
      payerName: existing?.payerName ?? '',
      payerId: existing?.payerId ?? '',
      planName: existing?.planName ?? '',
      memberId: existing?.memberId ?? '',
      groupNumber: existing?.groupNumber ?? '',
      subscriberRelationship: existing?.subscriberRelationship ?? 'self',
      subscriberFirstName: existing?.subscriberFirstName ?? '',
      subscriberLastName: existing?.subscriberLastName ?? '',
      subscriberDateOfBirth: existing?.subscriberDateOfBirth ?? '',
      effectiveFrom: existing?.effectiveFrom ?? '',
      effectiveTo: existing?.effectiveTo ?? '',
      copay:
        existing?.copayCents !== null && existing?.copayCents !== undefined
          ? centsToInput(existing.copayCents)
          : '',
    },
  });
  const {
    banner: serverError,
    report,
    clear: clearServerError,
  } = useServerErrors({ setError, watch }, coverageFields, { copayCents: 'copay' });
  const errs = errors as Record<string, { message?: string } | undefined>;
  const err = (k: keyof CoverageValues) =>
    errs[k]?.message ?? (k === 'copay' ? errs.copayCents?.message : undefined);
  const self = useWatch({ control, name: 'subscriberRelationship' }) === 'self';
  const submit = handleSubmit(async (values) => {
    clearServerError();
    const body = values as unknown as z.output<typeof coverageInputSchema>;
    try {
      if (existing) await call('updateCoverage', { params: { id: patientId, itemId: existing.id }, body });
      else await call('createCoverage', { params: { id: patientId }, body });
      onSaved();
    } catch (e) {
      report(e);
    }
  });
  return (
    <Dialog title={existing ? 'Change insurance coverage' : 'Add insurance coverage'} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <div className="form-grid form-grid-3">
          <SelectField label="Priority" data-autofocus error={err('priority')} {...register('priority')}>
            {Object.entries(coveragePriorityLabels).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Insurance company (payer)"
            autoComplete="off"
            error={err('payerName')}
            {...register('payerName')}
          />
          <TextField
            label="Payer id"
            hint="For electronic claims, if known"
            autoComplete="off"
            error={err('payerId')}
            {...register('payerId')}
          />
          <TextField label="Plan" autoComplete="off" error={err('planName')} {...register('planName')} />
          <TextField label="Member id" autoComplete="off" error={err('memberId')} {...register('memberId')} />
          <TextField
            label="Group number"
            autoComplete="off"
            error={err('groupNumber')}
            {...register('groupNumber')}
          />
          <TextField
            label="Effective from"
            type="date"
            error={err('effectiveFrom')}
            {...register('effectiveFrom')}
          />
          <TextField
            label="Effective to"
            type="date"
            hint="Leave empty while it lasts"
            error={err('effectiveTo')}
            {...register('effectiveTo')}
          />
          <TextField
            label="Office visit copay"
            inputMode="decimal"
            hint="In dollars, e.g. 25.00"
            error={err('copay')}
            {...register('copay')}
          />
          <SelectField
            label="Patient’s relationship to the subscriber"
            error={err('subscriberRelationship')}
            {...register('subscriberRelationship')}
          >
            {Object.entries(subscriberRelationshipOptions).map(([v, o]) => (
              <option key={v} value={v}>
                {o.label}
              </option>
            ))}
          </SelectField>
          {self ? null : (
            <>
              <TextField
                label="Subscriber first name"
                autoComplete="off"
                error={err('subscriberFirstName')}
                {...register('subscriberFirstName')}
              />
              <TextField
                label="Subscriber last name"
                autoComplete="off"
                error={err('subscriberLastName')}
                {...register('subscriberLastName')}
              />
              <TextField
                label="Subscriber date of birth"
                type="date"
                error={err('subscriberDateOfBirth')}
                {...register('subscriberDateOfBirth')}
              />
            </>
          )}
        </div>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
            Save coverage
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
