import { useMemo, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { timeZoneSchema } from '../../../server/contracts/common';
import {
  newPasswordSchema,
  setupRequestSchema,
  totpCodeSchema,
  usernameSchema,
  type TotpEnrollment,
} from '../../../server/contracts/auth';
import { ApiError, call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { NotLaunched, Starting } from '../../app/guards';
import { useAuth } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextField } from '../../ui/Field';
import { applyFieldErrors } from '../../ui/form';
import { useDocumentTitle } from '../../ui/Page';
import { AuthCard } from './AuthCard';
import { RecoveryCodes } from './RecoveryCodes';
import { TotpEnrollmentInfo } from './TotpEnrollmentInfo';

/** Step 1 fields: the request's pieces, flattened, plus a confirmation the server never sees. */
const detailsSchema = z
  .object({
    clinicName: setupRequestSchema.shape.clinicName,
    timeZone: timeZoneSchema,
    username: usernameSchema,
    fullName: setupRequestSchema.shape.admin.shape.fullName,
    password: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The two passwords differ. Type the same password twice.',
    // Check the match even while another field is still wrong, so all errors show at once.
    when: (payload) =>
      !payload.issues.some((i) => i.path?.[0] === 'password' || i.path?.[0] === 'confirmPassword'),
  });
type DetailsInput = z.input<typeof detailsSchema>;
type Details = z.output<typeof detailsSchema>;

const codeSchema = z.object({ totpCode: totpCodeSchema });

const detailFields = [
  'clinicName',
  'timeZone',
  'username',
  'fullName',
  'password',
  'confirmPassword',
] as const;
/** Server field paths (nested like the request) -> the flat form fields. */
const detailAliases = {
  'admin.username': 'username',
  'admin.fullName': 'fullName',
  'admin.password': 'password',
} as const;

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** IANA zones the contract accepts (Area/City or UTC), with the browser's own zone always present. */
function timeZoneOptions(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const valid = zones.filter((z) => timeZoneSchema.safeParse(z).success);
  if (timeZoneSchema.safeParse(current).success && !valid.includes(current)) valid.push(current);
  if (!valid.includes('UTC')) valid.push('UTC');
  return valid.sort();
}

type Stage = { kind: 'details' } | { kind: 'totp' } | { kind: 'codes'; codes: string[] };

export function SetupPage() {
  useDocumentTitle('Set up Tessera');
  const status = useQuery({ queryKey: keys.setupStatus, queryFn: () => call('setupStatus') });
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const auth = useAuth();
  const [stage, setStage] = useState<Stage>({ kind: 'details' });
  const [serverError, setServerError] = useState<string | null>(null);
  // Kept when going back a step: the user may already have scanned this QR code.
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);

  const defaultZone = useMemo(() => {
    const zone = browserTimeZone();
    return timeZoneSchema.safeParse(zone).success ? zone : 'UTC';
  }, []);
  const zones = useMemo(() => timeZoneOptions(defaultZone), [defaultZone]);

  // Both forms live here so going back and forth between the steps keeps everything typed.
  const details = useForm<DetailsInput, unknown, Details>({
    resolver: zodResolver(detailsSchema),
    defaultValues: {
      clinicName: '',
      timeZone: defaultZone,
      username: '',
      fullName: '',
      password: '',
      confirmPassword: '',
    },
  });
  const code = useForm({ resolver: zodResolver(codeSchema), defaultValues: { totpCode: '' } });

  const toTotp = details.handleSubmit(async (d) => {
    setServerError(null);
    try {
      // The server's password policy (the common-password list) is checked now, before anyone scans a code.
      await call('setupCheck', {
        body: {
          clinicName: d.clinicName,
          timeZone: d.timeZone,
          admin: { username: d.username, fullName: d.fullName, password: d.password },
        },
      });
    } catch (err) {
      if (!applyFieldErrors(err, details.setError, detailFields, detailAliases)) {
        setServerError(errorMessage(err));
      }
      return;
    }
    try {
      if (!enrollment) setEnrollment(await call('setupTotp'));
      setStage({ kind: 'totp' });
    } catch (err) {
      setServerError(errorMessage(err));
    }
  });

  const finish = code.handleSubmit(async ({ totpCode }) => {
    if (!enrollment) return;
    setServerError(null);
    const d = details.getValues();
    const parsed = detailsSchema.parse(d); // trimmed, lower-cased as the contract wants
    try {
      const result = await call('setupComplete', {
        body: {
          clinicName: parsed.clinicName,
          timeZone: parsed.timeZone,
          admin: { username: parsed.username, fullName: parsed.fullName, password: parsed.password },
          enrollmentId: enrollment.enrollmentId,
          totpCode,
        },
      });
      void queryClient.invalidateQueries({ queryKey: keys.setupStatus });
      setStage({ kind: 'codes', codes: result.recoveryCodes });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'enrollment_expired') {
        // The offered secret timed out: offer a fresh one (the user scans again).
        setEnrollment(null);
        code.reset({ totpCode: '' });
        try {
          setEnrollment(await call('setupTotp'));
          setServerError(`${err.message} A new QR code is shown below.`);
        } catch (again) {
          setServerError(errorMessage(again));
          setStage({ kind: 'details' });
        }
        return;
      }
      const fields = err instanceof ApiError ? Object.keys(err.fields) : [];
      const detailProblem = fields.some((f) => f !== 'totpCode' && f !== 'enrollmentId');
      if (detailProblem) {
        // E.g. a common password: back to the first step, error next to its field, nothing lost.
        setStage({ kind: 'details' });
        setServerError(errorMessage(err));
        setTimeout(() => applyFieldErrors(err, details.setError, detailFields, detailAliases), 0);
        return;
      }
      if (!applyFieldErrors(err, code.setError, ['totpCode'])) setServerError(errorMessage(err));
      code.setFocus('totpCode');
    }
  });

  if (auth.state.status === 'notLaunched') return <NotLaunched message={auth.state.message} />;
  if (status.isPending) return <Starting />;
  if (status.isError) {
    return (
      <AuthCard title="Set up Tessera">
        <Alert tone="error">{errorMessage(status.error)}</Alert>
      </AuthCard>
    );
  }
  // Already set up (and not just finishing): sign in instead.
  if (!status.data.needed && stage.kind !== 'codes') return <Navigate to="/login" replace />;

  if (stage.kind === 'codes') {
    return (
      <AuthCard title="Save your recovery codes" wide>
        <Alert tone="success">Tessera is set up. Your administrator account is ready.</Alert>
        <p data-testid="setup-next-code">
          Next you sign in with your password and a code from the app. The code you just entered works only
          once: use the next one the app shows (a new code appears every 30 seconds).
        </p>
        <RecoveryCodes
          codes={stage.codes}
          onConfirm={() =>
            void navigate('/login', { replace: true, state: { username: details.getValues('username') } })
          }
        />
      </AuthCard>
    );
  }

  const e = details.formState.errors;
  return (
    <AuthCard title="Set up Tessera" wide>
      <p className="step-indicator" aria-live="polite">
        Step {stage.kind === 'details' ? 1 : 2} of 2:{' '}
        {stage.kind === 'details' ? 'clinic and first administrator' : 'authenticator app'}
      </p>
      {stage.kind === 'details' ? (
        <p className="small">
          Joining a clinic that already uses Tessera?{' '}
          <Link to="/setup/join">Enroll this workstation with a code</Link> instead.
        </p>
      ) : null}
      {serverError ? <Alert tone="error">{serverError}</Alert> : null}

      {stage.kind === 'details' || !enrollment ? (
        <form className="form" onSubmit={(ev) => void toTotp(ev)} noValidate>
          <fieldset className="fieldset-plain">
            <legend className="section-title">Clinic</legend>
            <TextField
              label="Clinic name"
              autoComplete="organization"
              autoFocus
              error={e.clinicName?.message}
              {...details.register('clinicName')}
            />
            <SelectField
              label="Time zone"
              hint="Appointments and reports use this zone."
              error={e.timeZone?.message}
              {...details.register('timeZone')}
            >
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll('_', ' ')}
                </option>
              ))}
            </SelectField>
          </fieldset>
          <fieldset className="fieldset-plain">
            <legend className="section-title">First administrator</legend>
            <div className="form-grid">
              <TextField
                label="Username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                hint="Letters, digits, dots, dashes or underscores."
                error={e.username?.message}
                {...details.register('username')}
              />
              <TextField
                label="Full name"
                autoComplete="name"
                error={e.fullName?.message}
                {...details.register('fullName')}
              />
              <TextField
                label="Password"
                type="password"
                autoComplete="new-password"
                hint="At least 12 characters. A short sentence is easy to remember."
                error={e.password?.message}
                {...details.register('password')}
              />
              <TextField
                label="Confirm password"
                type="password"
                autoComplete="new-password"
                error={e.confirmPassword?.message}
                {...details.register('confirmPassword')}
              />
            </div>
          </fieldset>
          <div className="button-row">
            <Button
              type="submit"
              variant="primary"
              busy={details.formState.isSubmitting}
              busyLabel="Preparing…"
            >
              Continue to the authenticator
            </Button>
          </div>
        </form>
      ) : (
        <form className="form" onSubmit={(ev) => void finish(ev)} noValidate>
          <p>
            Administrators sign in with a password and a code from an authenticator app on their phone. Set it
            up now.
          </p>
          <TotpEnrollmentInfo enrollment={enrollment} />
          <TextField
            label="Code from the app"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            autoFocus
            className="input-code"
            error={code.formState.errors.totpCode?.message}
            {...code.register('totpCode')}
          />
          <div className="button-row">
            <Button
              type="submit"
              variant="primary"
              busy={code.formState.isSubmitting}
              busyLabel="Setting up…"
            >
              Finish setup
            </Button>
            <Button onClick={() => setStage({ kind: 'details' })}>Back</Button>
          </div>
        </form>
      )}
    </AuthCard>
  );
}
