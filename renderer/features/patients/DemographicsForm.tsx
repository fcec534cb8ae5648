import { useId, useState, type ReactNode } from 'react';
import { Controller, useForm, useWatch, type FieldErrors } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import {
  clinicalSexParameterOptions,
  contactMethodLabels,
  ethnicityCodeTree,
  genderIdentityOptions,
  patientCreateSchema,
  patientUpdateSchema,
  phoneKindLabels,
  pronounOptions,
  raceCodeTree,
  sexOptions,
  sexualOrientationOptions,
  type Patient,
  type PatientCreate,
  type PatientUpdate,
} from '../../../server/contracts/patients';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { useLeaveGuard } from '../../ui/use-leave-guard';
import { AddressFields } from './AddressFields';
import { CodePicker } from './CodePicker';
import { formatPhone, languageName } from './patient-format';

/** The form's own shape: every select and text box holds a string ("" = not recorded). */
export interface DemographicsValues {
  legalFirstName: string;
  legalMiddleName: string;
  legalLastName: string;
  nameSuffix: string;
  firstNameToUse: string;
  lastNameToUse: string;
  dateOfBirth: string;
  sex: string;
  clinicalSexParameter: string;
  clinicalSexParameterComment: string;
  genderIdentity: string;
  genderIdentityOther: string;
  sexualOrientation: string;
  sexualOrientationOther: string;
  pronouns: string;
  pronounsOther: string;
  race: string[] | 'declined';
  ethnicity: string[] | 'declined';
  preferredLanguage: string;
  interpreterNeeded: boolean;
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  phoneMobile: string;
  phoneHome: string;
  phoneWork: string;
  preferredPhone: string;
  email: string;
  contactMethod: string;
  voicemailOk: boolean;
  textOk: boolean;
  emailOk: boolean;
  alertNote: string;
  restricted: boolean;
  inactive: boolean;
  deceased: boolean;
  deceasedDate: string;
}
type Field = keyof DemographicsValues;

const CODED: Field[] = [
  'sex',
  'clinicalSexParameter',
  'genderIdentity',
  'sexualOrientation',
  'pronouns',
  'preferredPhone',
  'contactMethod',
];

/** Form values as the API takes them: an unanswered select is null rather than "". */
function toBody(values: unknown): unknown {
  const v = { ...(values as Record<string, unknown>) };
  for (const k of CODED) if (v[k] === '') v[k] = null;
  // The date of death goes with the box: unticking "Deceased" clears it too.
  if (v.deceased === false) v.deceasedDate = null;
  return v;
}

export const emptyDemographics: DemographicsValues = {
  legalFirstName: '',
  legalMiddleName: '',
  legalLastName: '',
  nameSuffix: '',
  firstNameToUse: '',
  lastNameToUse: '',
  dateOfBirth: '',
  sex: '',
  clinicalSexParameter: '',
  clinicalSexParameterComment: '',
  genderIdentity: '',
  genderIdentityOther: '',
  sexualOrientation: '',
  sexualOrientationOther: '',
  pronouns: '',
  pronounsOther: '',
  race: [],
  ethnicity: [],
  preferredLanguage: '',
  interpreterNeeded: false,
  addressLine1: '',
  addressLine2: '',
  city: '',
  state: '',
  postalCode: '',
  country: 'US',
  phoneMobile: '',
  phoneHome: '',
  phoneWork: '',
  preferredPhone: '',
  email: '',
  contactMethod: '',
  voicemailOk: false,
  textOk: false,
  emailOk: false,
  alertNote: '',
  restricted: false,
  inactive: false,
  deceased: false,
  deceasedDate: '',
};

/** A stored record as form values. */
export function valuesOf(p: Patient): DemographicsValues {
  const out = { ...emptyDemographics };
  for (const key of Object.keys(emptyDemographics) as Field[]) {
    const v = p[key as keyof Patient];
    if (key.startsWith('phone') && typeof v === 'string')
      (out as Record<string, unknown>)[key] = formatPhone(v);
    else if (v !== null && v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

/** Every field name, for placing server errors next to their fields. */
export const demographicFields = Object.keys(emptyDemographics) as Field[];

/** Languages front desks meet most in the US; any BCP 47 tag can be typed. */
const COMMON_LANGUAGES = [
  'en',
  'es',
  'zh',
  'vi',
  'tl',
  'ar',
  'fr',
  'ko',
  'ru',
  'pt',
  'ht',
  'de',
  'hi',
  'ja',
  'pl',
  'it',
  'fa',
  'ur',
  'so',
  'am',
  'ase',
];

const createResolver = zodResolver(
  z.preprocess(toBody, patientCreateSchema) as unknown as typeof patientCreateSchema,
);
const updateResolver = zodResolver(
  z.preprocess(toBody, patientUpdateSchema) as unknown as typeof patientUpdateSchema,
);

interface DemographicsFormProps {
  mode: 'create' | 'edit';
  defaultValues: DemographicsValues;
  submitLabel: string;
  busyLabel: string;
  /**
   * create: the whole registration; edit: only the fields the user changed. Throws the server's error,
   * which the form places next to its fields.
   */
  onSubmit: (body: PatientCreate | PatientUpdate) => Promise<void>;
  onCancel?: () => void;
  /** Shown above the buttons (the duplicate warning during registration). */
  children?: ReactNode;
}

/** Registration and edit of demographics: the same fields in the same order, so staff learn one form. */
export function DemographicsForm({
  mode,
  defaultValues,
  submitLabel,
  busyLabel,
  onSubmit,
  onCancel,
  children,
}: DemographicsFormProps) {
  const formId = useId();
  const [nothingChanged, setNothingChanged] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    watch,
    control,
    formState: { errors, isSubmitting, isDirty, dirtyFields },
  } = useForm<DemographicsValues>({
    defaultValues,
    resolver: (mode === 'create' ? createResolver : updateResolver) as never,
  });
  const { banner: serverError, report, clear } = useServerErrors({ setError, watch }, demographicFields);
  const [saved, setSaved] = useState(false);
  // A half-typed registration or edit is not lost to a stray click or a reload.
  const leaveDialog = useLeaveGuard(isDirty && !saved);
  const e = errors as FieldErrors<DemographicsValues> & Record<string, { message?: string } | undefined>;
  const err = (name: Field) =>
    e[name]?.message ?? (name === 'race' || name === 'ethnicity' ? e[`${name}.0`]?.message : undefined);
  const [language, clinicalSex, genderIdentity, orientation, pronouns, deceased] = useWatch({
    control,
    name: [
      'preferredLanguage',
      'clinicalSexParameter',
      'genderIdentity',
      'sexualOrientation',
      'pronouns',
      'deceased',
    ],
  });

  const submit = handleSubmit(async (parsed) => {
    setNothingChanged(false);
    clear();
    if (mode === 'edit') {
      const changed = Object.keys(dirtyFields) as Field[];
      if (changed.includes('deceased') && !changed.includes('deceasedDate')) changed.push('deceasedDate');
      if (!changed.length) {
        setNothingChanged(true);
        return;
      }
      const body = Object.fromEntries(
        changed.map((k) => [k, (parsed as unknown as Record<string, unknown>)[k]]),
      );
      await send(body as PatientUpdate);
    } else {
      await send(parsed as unknown as PatientCreate);
    }
  });
  const send = async (body: PatientCreate | PatientUpdate) => {
    try {
      setSaved(true);
      await onSubmit(body);
    } catch (error) {
      setSaved(false);
      report(error);
    }
  };

  const option = (o: Record<string, { label: string }>) =>
    Object.entries(o).map(([value, { label }]) => (
      <option key={value} value={value}>
        {label}
      </option>
    ));

  return (
    <form className="form" onSubmit={(ev) => void submit(ev)} noValidate aria-labelledby={`${formId}-title`}>
      {leaveDialog}
      <h2 id={`${formId}-title`} className="visually-hidden">
        {mode === 'create' ? 'Registration' : 'Edit demographics'}
      </h2>
      {serverError ? <Alert tone="error">{serverError}</Alert> : null}
      {nothingChanged ? <Alert tone="info">Nothing was changed.</Alert> : null}

      <fieldset className="fieldset form-section">
        <legend>Name</legend>
        <div className="form-grid form-grid-3">
          <TextField
            label="Legal first name"
            autoComplete="off"
            autoFocus={mode === 'create'}
            error={err('legalFirstName')}
            {...register('legalFirstName')}
          />
          <TextField
            label="Legal middle name"
            autoComplete="off"
            error={err('legalMiddleName')}
            {...register('legalMiddleName')}
          />
          <TextField
            label="Legal last name"
            autoComplete="off"
            error={err('legalLastName')}
            {...register('legalLastName')}
          />
          <TextField
            label="Suffix"
            autoComplete="off"
            hint="Jr, Sr, III"
            error={err('nameSuffix')}
            {...register('nameSuffix')}
          />
          <TextField
            label="First name to use"
            autoComplete="off"
            hint="If different from the legal first name"
            error={err('firstNameToUse')}
            {...register('firstNameToUse')}
          />
          <TextField
            label="Last name to use"
            autoComplete="off"
            hint="If different from the legal last name"
            error={err('lastNameToUse')}
            {...register('lastNameToUse')}
          />
        </div>
      </fieldset>

      <fieldset className="fieldset form-section">
        <legend>Birth and sex</legend>
        <div className="form-grid form-grid-3">
          <TextField
            label="Date of birth"
            type="date"
            error={err('dateOfBirth')}
            {...register('dateOfBirth')}
          />
          <SelectField label="Sex" error={err('sex')} {...register('sex')}>
            <option value="">Not recorded</option>
            {option(sexOptions)}
          </SelectField>
          <SelectField
            label="Sex parameter for clinical use"
            hint="For lab ranges and clinical rules"
            error={err('clinicalSexParameter')}
            {...register('clinicalSexParameter')}
          >
            <option value="">Not recorded</option>
            {option(clinicalSexParameterOptions)}
          </SelectField>
          {clinicalSex === 'specified' ? (
            <TextField
              label="Clinical use comment"
              fieldClassName="span-2"
              error={err('clinicalSexParameterComment')}
              {...register('clinicalSexParameterComment')}
            />
          ) : null}
        </div>
      </fieldset>

      <fieldset className="fieldset form-section">
        <legend>Identity</legend>
        <div className="form-grid form-grid-3">
          <SelectField label="Gender identity" error={err('genderIdentity')} {...register('genderIdentity')}>
            <option value="">Not asked</option>
            {option(genderIdentityOptions)}
          </SelectField>
          <SelectField
            label="Sexual orientation"
            error={err('sexualOrientation')}
            {...register('sexualOrientation')}
          >
            <option value="">Not asked</option>
            {option(sexualOrientationOptions)}
          </SelectField>
          <SelectField label="Pronouns" error={err('pronouns')} {...register('pronouns')}>
            <option value="">Not asked</option>
            {option(pronounOptions)}
          </SelectField>
          {genderIdentity === 'other' ? (
            <TextField
              label="Gender identity, in the patient’s words"
              error={err('genderIdentityOther')}
              {...register('genderIdentityOther')}
            />
          ) : null}
          {orientation === 'other' ? (
            <TextField
              label="Sexual orientation, in the patient’s words"
              error={err('sexualOrientationOther')}
              {...register('sexualOrientationOther')}
            />
          ) : null}
          {pronouns === 'other' ? (
            <TextField
              label="Pronouns, in the patient’s words"
              error={err('pronounsOther')}
              {...register('pronounsOther')}
            />
          ) : null}
        </div>
      </fieldset>

      <div className="form-section form-grid">
        <Controller
          control={control}
          name="race"
          render={({ field }) => (
            <CodePicker
              legend="Race"
              hint="Choose all that apply. Detailed answers count toward their main category."
              tree={raceCodeTree}
              value={field.value}
              onChange={field.onChange}
              error={err('race')}
            />
          )}
        />
        <div className="form">
          <Controller
            control={control}
            name="ethnicity"
            render={({ field }) => (
              <CodePicker
                legend="Ethnicity"
                tree={ethnicityCodeTree}
                value={field.value}
                onChange={field.onChange}
                error={err('ethnicity')}
              />
            )}
          />
          <TextField
            label="Preferred language"
            list={`${formId}-languages`}
            hint={
              language && language !== 'declined'
                ? languageName(language)
                : 'Type or choose, e.g. es for Spanish; “declined” if declined'
            }
            error={err('preferredLanguage')}
            {...register('preferredLanguage')}
          />
          <datalist id={`${formId}-languages`}>
            {COMMON_LANGUAGES.map((tag) => (
              <option key={tag} value={tag}>
                {languageName(tag)}
              </option>
            ))}
            <option value="declined">Declined to specify</option>
          </datalist>
          <Checkbox label="Needs an interpreter" {...register('interpreterNeeded')} />
        </div>
      </div>

      <fieldset className="fieldset form-section">
        <legend>Address and contact</legend>
        <div className="form-grid form-grid-3">
          <AddressFields register={register} errorOf={err} />
          <TextField
            label="Country"
            autoComplete="off"
            hint="Two letters, e.g. US"
            error={err('country')}
            {...register('country')}
          />
          <TextField
            label="Mobile phone"
            type="tel"
            autoComplete="off"
            error={err('phoneMobile')}
            {...register('phoneMobile')}
          />
          <TextField
            label="Home phone"
            type="tel"
            autoComplete="off"
            error={err('phoneHome')}
            {...register('phoneHome')}
          />
          <TextField
            label="Work phone"
            type="tel"
            autoComplete="off"
            error={err('phoneWork')}
            {...register('phoneWork')}
          />
          <SelectField label="Preferred phone" error={err('preferredPhone')} {...register('preferredPhone')}>
            <option value="">No preference</option>
            {Object.entries(phoneKindLabels).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Email"
            type="email"
            autoComplete="off"
            error={err('email')}
            {...register('email')}
          />
          <SelectField
            label="Preferred contact method"
            error={err('contactMethod')}
            {...register('contactMethod')}
          >
            <option value="">No preference</option>
            {Object.entries(contactMethodLabels).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="checkbox-row">
          <Checkbox label="OK to leave voicemail" {...register('voicemailOk')} />
          <Checkbox label="OK to text" {...register('textOk')} />
          <Checkbox label="OK to email" {...register('emailOk')} />
        </div>
      </fieldset>

      <fieldset className="fieldset form-section">
        <legend>Record</legend>
        <div className="form-grid form-grid-3">
          <TextField
            label="Alert for the banner"
            hint="Shown to everyone who opens the record, e.g. “Hard of hearing”"
            error={err('alertNote')}
            {...register('alertNote')}
          />
          {deceased ? (
            <TextField
              label="Date of death"
              type="date"
              error={err('deceasedDate')}
              {...register('deceasedDate')}
            />
          ) : null}
        </div>
        <div className="checkbox-row">
          <Checkbox label="Restricted record (break-glass to open)" {...register('restricted')} />
          <Checkbox label="Inactive" {...register('inactive')} />
          <Checkbox label="Deceased" {...register('deceased')} />
        </div>
      </fieldset>

      {children}
      <div className="button-row">
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel={busyLabel}>
          {submitLabel}
        </Button>
        {onCancel ? <Button onClick={onCancel}>Cancel</Button> : null}
      </div>
    </form>
  );
}
