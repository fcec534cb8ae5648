import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import {
  loginRequestSchema,
  recoveryCodeSchema,
  totpCodeSchema,
  type mfaRequestSchema,
  type SessionInfo,
  type TotpEnrollment,
} from '../../../server/contracts/auth';
import { ApiError, call, errorMessage } from '../../api/client';
import { applyFieldErrors } from '../../ui/form';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { RecoveryCodes } from './RecoveryCodes';
import { TotpEnrollmentInfo } from './TotpEnrollmentInfo';

type Step =
  | { kind: 'password' }
  | { kind: 'mfa' }
  | { kind: 'enroll'; enrollment: TotpEnrollment }
  | { kind: 'codes'; codes: string[]; session: SessionInfo };

interface SignInStepsProps {
  /** The lock screen re-authenticates one known user: the username is shown, not asked. */
  fixedUsername?: string;
  initialUsername?: string;
  onSignedIn: (session: SessionInfo) => void;
  submitLabel?: string;
}

/**
 * Sign-in as the server leads it: password, then a TOTP or recovery code, or first-time MFA enrolment when
 * the user's role requires it. Used by the sign-in page and the lock screen.
 */
export function SignInSteps({
  fixedUsername,
  initialUsername,
  onSignedIn,
  submitLabel = 'Sign in',
}: SignInStepsProps) {
  const [step, setStep] = useState<Step>({ kind: 'password' });
  // Why the user is back at the password step (the pending sign-in expired), shown above the form.
  const [notice, setNotice] = useState<string | null>(null);
  const restart = (message?: string) => {
    setNotice(message ?? null);
    setStep({ kind: 'password' });
  };

  switch (step.kind) {
    case 'password':
      return (
        <PasswordStep
          notice={notice}
          fixedUsername={fixedUsername}
          initialUsername={initialUsername}
          submitLabel={submitLabel}
          onResult={(result) => {
            setNotice(null);
            if (result.step === 'done') onSignedIn(result.session);
            else if (result.step === 'mfa') setStep({ kind: 'mfa' });
            else setStep({ kind: 'enroll', enrollment: result.enrollment });
          }}
        />
      );
    case 'mfa':
      return <MfaStep onSignedIn={onSignedIn} onRestart={restart} />;
    case 'enroll':
      return (
        <EnrollStep
          enrollment={step.enrollment}
          onRestart={restart}
          onEnrolled={(session, codes) => setStep({ kind: 'codes', codes, session })}
        />
      );
    case 'codes':
      return (
        <RecoveryCodes
          codes={step.codes}
          onConfirm={() => onSignedIn(step.session)}
          confirmLabel="I have saved these codes — continue"
        />
      );
  }
}

type LoginResult = Awaited<ReturnType<typeof call<'login'>>>;
type LoginInput = z.input<typeof loginRequestSchema>;
type LoginOutput = z.output<typeof loginRequestSchema>;

function PasswordStep({
  notice,
  fixedUsername,
  initialUsername,
  submitLabel,
  onResult,
}: {
  notice: string | null;
  fixedUsername: string | undefined;
  initialUsername: string | undefined;
  submitLabel: string;
  onResult: (result: LoginResult) => void;
}) {
  const [serverError, setServerError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<LoginInput, unknown, LoginOutput>({
    resolver: zodResolver(loginRequestSchema),
    defaultValues: { username: fixedUsername ?? initialUsername ?? '', password: '' },
  });

  const submit = handleSubmit(async (body) => {
    setServerError(null);
    try {
      onResult(await call('login', { body }));
    } catch (err) {
      applyFieldErrors(err, setError, ['username', 'password']);
      // Wrong password, locked account, disabled account: the server's words, in the alert region.
      setServerError(errorMessage(err));
      setFocus('password');
    }
  });

  const usernameFirst = !fixedUsername && !initialUsername;
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      {notice && !serverError ? <Alert tone="warning">{notice}</Alert> : null}
      {serverError ? <Alert tone="error">{serverError}</Alert> : null}
      <TextField
        label="Username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        readOnly={Boolean(fixedUsername)}
        autoFocus={usernameFirst}
        error={errors.username?.message}
        {...register('username')}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        autoFocus={!usernameFirst}
        data-autofocus={!usernameFirst || undefined}
        error={errors.password?.message}
        {...register('password')}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Checking…">
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}

const codeFormSchema = z.object({ code: totpCodeSchema });
const recoveryFormSchema = z.object({ recoveryCode: recoveryCodeSchema });

type Restart = (message?: string) => void;

/** The pending sign-in is gone (too slow, or the server restarted): back to the password. */
function isExpiredSignIn(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'sign_in_expired' || err.code === 'enrollment_expired');
}

function MfaStep({ onSignedIn, onRestart }: { onSignedIn: (s: SessionInfo) => void; onRestart: Restart }) {
  const [useRecovery, setUseRecovery] = useState(false);
  return (
    <div className="form">
      <p>
        {useRecovery
          ? 'Enter one of the recovery codes you saved when you set up the authenticator app. Each code works once.'
          : 'Enter the 6-digit code from your authenticator app.'}
      </p>
      {/* Keyed so switching starts a fresh form with its own field. */}
      <MfaCodeForm
        key={useRecovery ? 'recoveryCode' : 'code'}
        field={useRecovery ? 'recoveryCode' : 'code'}
        onSignedIn={onSignedIn}
        onRestart={onRestart}
      />
      <div className="button-row">
        <Button variant="link" onClick={() => setUseRecovery((v) => !v)}>
          {useRecovery ? 'Use the authenticator app instead' : 'Use a recovery code instead'}
        </Button>
        <Button variant="link" onClick={() => onRestart()}>
          Start again
        </Button>
      </div>
    </div>
  );
}

// The two ways to answer the second step differ only in their field.
const mfaCodeFields = {
  code: {
    schema: codeFormSchema,
    input: {
      label: 'Authenticator code',
      inputMode: 'numeric',
      autoComplete: 'one-time-code',
      maxLength: 6,
      'data-autofocus': true,
    },
  },
  recoveryCode: {
    schema: recoveryFormSchema,
    input: {
      label: 'Recovery code',
      autoComplete: 'off',
      autoCapitalize: 'none',
      spellCheck: false,
      placeholder: 'abcde-12345',
    },
  },
} as const;
type MfaCodeField = keyof typeof mfaCodeFields;
type MfaCodeValues = Partial<Record<MfaCodeField, string>>;
type MfaRequest = z.output<typeof mfaRequestSchema>;

function MfaCodeForm({
  field,
  onSignedIn,
  onRestart,
}: {
  field: MfaCodeField;
  onSignedIn: (s: SessionInfo) => void;
  onRestart: Restart;
}) {
  const [serverError, setServerError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<MfaCodeValues>({
    resolver: zodResolver(mfaCodeFields[field].schema as z.ZodType<MfaCodeValues, MfaCodeValues>),
    defaultValues: { [field]: '' },
  });

  const submit = handleSubmit(async (body) => {
    setServerError(null);
    try {
      onSignedIn(await call('loginMfa', { body: body as MfaRequest }));
    } catch (err) {
      if (isExpiredSignIn(err)) return onRestart(errorMessage(err));
      if (!applyFieldErrors(err, setError, [field])) setServerError(errorMessage(err));
      setFocus(field);
    }
  });

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="form">
      {serverError ? <Alert tone="error">{serverError}</Alert> : null}
      <TextField
        {...mfaCodeFields[field].input}
        autoFocus
        className="input-code"
        error={errors[field]?.message}
        {...register(field)}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Checking…">
          Verify code
        </Button>
      </div>
    </form>
  );
}

function EnrollStep({
  enrollment,
  onEnrolled,
  onRestart,
}: {
  enrollment: TotpEnrollment;
  onEnrolled: (session: SessionInfo, codes: string[]) => void;
  onRestart: Restart;
}) {
  const [serverError, setServerError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm({ resolver: zodResolver(codeFormSchema), defaultValues: { code: '' } });

  const submit = handleSubmit(async ({ code }) => {
    setServerError(null);
    try {
      const result = await call('loginMfaEnroll', { body: { enrollmentId: enrollment.enrollmentId, code } });
      onEnrolled(result.session, result.recoveryCodes);
    } catch (err) {
      if (isExpiredSignIn(err)) return onRestart(errorMessage(err));
      if (!applyFieldErrors(err, setError, ['code'])) setServerError(errorMessage(err));
      setFocus('code');
    }
  });

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="form">
      <p>Your role requires a second sign-in step. Set up an authenticator app now; it takes a minute.</p>
      <TotpEnrollmentInfo enrollment={enrollment} />
      {serverError ? <Alert tone="error">{serverError}</Alert> : null}
      <TextField
        label="Code from the app"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        autoFocus
        data-autofocus
        className="input-code"
        error={errors.code?.message}
        {...register('code')}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Checking…">
          Confirm and sign in
        </Button>
        <Button variant="link" onClick={() => onRestart()}>
          Start again
        </Button>
      </div>
    </form>
  );
}
