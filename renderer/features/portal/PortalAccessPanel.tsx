import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import {
  portalInviteBodySchema,
  portalScopes,
  proxyRelationships,
  type PortalAccess,
  type PortalAccount,
  type PortalInviteBody,
} from '../../../server/contracts/portal';
import { call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useConfirm } from '../../ui/ConfirmDialog';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, Fieldset, SelectField, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { RecordPanel } from '../patients/RecordPanel';
import { ReminderStatus } from './ReminderStatus';

/**
 * Portal access on the patient record: who may sign in to the patient portal for this patient (the patient,
 * or a guardian as proxy with a relationship and a scope), invite (central e-mails a single-use link valid
 * 24 hours), and revoke at once. Portal accounts live at central; without it the panel says so.
 */
const relationshipLabels: Record<(typeof proxyRelationships)[number], string> = {
  parent: 'Parent',
  legal_guardian: 'Legal guardian',
  other_caregiver: 'Other caregiver',
};
const scopeLabels: Record<(typeof portalScopes)[number], string> = {
  appointments: 'See appointments',
  'appointments.cancel': 'Cancel appointments',
  'appointments.request': 'Request appointments',
  messages: 'Send and read messages',
  questionnaires: 'Fill in questionnaires',
  forms: 'Fill in forms and sign consents',
  billing: 'See bills and pay by card',
  tracking: 'Enter health tracking (weight, blood pressure, …)',
  visit_summaries: 'Read visit summaries the clinician shares',
};
const statusLabels: Record<PortalAccount['status'], string> = {
  invited: 'Invited',
  active: 'Active',
  revoked: 'Revoked',
};
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

export function PortalAccessPanel({ patientId, canWrite }: { patientId: string; canWrite: boolean }) {
  const [access, setAccess] = useState<PortalAccess | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const [confirmUi, confirm] = useConfirm();
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    call('portalAccess', { params: { patientId } })
      .then((a) => {
        setAccess(a);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [patientId]);
  useEffect(load, [load]);
  const revoke = async (a: PortalAccount) => {
    const yes = await confirm({
      title: 'Revoke portal access?',
      message: `${a.email} is signed out of the portal at once and cannot sign in again.`,
      confirmLabel: 'Revoke access',
      cancelLabel: 'Keep access',
      danger: true,
    });
    if (!yes) return;
    try {
      await call('portalRevoke', { params: { patientId, accountId: a.id } });
      setNotice('Portal access revoked. Any open portal session has ended.');
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const live = access?.accounts.filter((a) => a.status !== 'revoked') ?? [];
  return (
    <RecordPanel
      title="Patient portal"
      action={
        canWrite ? (
          <Button size="small" onClick={() => setInviting(true)}>
            Invite to portal
          </Button>
        ) : null
      }
    >
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {error ? <Alert tone="warning">{error}</Alert> : null}
      {access && live.length === 0 ? (
        <p className="muted">
          No portal access yet. Invite the patient, or a parent or guardian for a minor.
        </p>
      ) : null}
      {live.length ? (
        <table className="table table-dense">
          <thead>
            <tr>
              <th scope="col">Who</th>
              <th scope="col">E-mail</th>
              <th scope="col">Status</th>
              <th scope="col">Last sign-in</th>
              {canWrite ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {live.map((a) => (
              <tr key={a.id}>
                <td>
                  {a.kind === 'self'
                    ? 'Patient'
                    : `${a.proxyName} (${a.relationship ? relationshipLabels[a.relationship] : 'proxy'}; ${a.scope
                        .map((s) => scopeLabels[s].toLowerCase())
                        .join(', ')})`}
                </td>
                <td>{a.email}</td>
                <td>
                  {statusLabels[a.status]}
                  {a.status === 'invited' && a.invitationExpiresAt
                    ? ` (link valid until ${when(a.invitationExpiresAt)})`
                    : ''}
                </td>
                <td>{when(a.lastSignInAt)}</td>
                {canWrite ? (
                  <td className="row-actions">
                    <Button size="small" variant="link" onClick={() => void revoke(a)}>
                      Revoke
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {access ? <ReminderStatus access={access} /> : null}
      {inviting ? (
        <InviteDialog
          patientId={patientId}
          onClose={() => setInviting(false)}
          onSent={(a) => {
            setInviting(false);
            setNotice(`Invitation e-mailed to ${a.email}. The link works once, for 24 hours.`);
            load();
          }}
        />
      ) : null}
      {confirmUi}
    </RecordPanel>
  );
}

type InviteValues = {
  kind: 'self' | 'proxy';
  email: string;
  proxyName: string;
  relationship: string;
  scope: string[];
};

function InviteDialog({
  patientId,
  onClose,
  onSent,
}: {
  patientId: string;
  onClose: () => void;
  onSent: (a: PortalAccount) => void;
}) {
  const form = useForm<InviteValues>({
    resolver: zodResolver(portalInviteBodySchema as never) as never,
    defaultValues: { kind: 'self', email: '', proxyName: '', relationship: '', scope: ['appointments'] },
  });
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = form;
  const kind = useWatch({ control: form.control, name: 'kind' });
  const { banner, report, clear } = useServerErrors(form, ['email', 'proxyName', 'relationship', 'scope']);
  const submit = handleSubmit(async (values) => {
    clear();
    try {
      const body = (values.kind === 'self'
        ? { kind: 'self', email: values.email }
        : values) as unknown as PortalInviteBody;
      onSent(await call('portalInvite', { params: { patientId }, body }));
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog
      title="Invite to the patient portal"
      onClose={onClose}
      description="The e-mail carries only the clinic's name and a single-use link valid for 24 hours."
    >
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        <SelectField label="Who will sign in" {...register('kind')}>
          <option value="self">The patient</option>
          <option value="proxy">A parent or guardian (proxy)</option>
        </SelectField>
        <TextField
          label="E-mail"
          type="email"
          autoComplete="off"
          data-autofocus
          error={errors.email?.message}
          {...register('email')}
        />
        {kind === 'proxy' ? (
          <>
            <TextField
              label="Proxy's name"
              autoComplete="off"
              error={errors.proxyName?.message}
              {...register('proxyName')}
            />
            <SelectField
              label="Relationship to the patient"
              error={errors.relationship?.message}
              {...register('relationship')}
            >
              <option value="">Choose…</option>
              {proxyRelationships.map((r) => (
                <option key={r} value={r}>
                  {relationshipLabels[r]}
                </option>
              ))}
            </SelectField>
            <Fieldset legend="The proxy may" error={errors.scope?.message}>
              {portalScopes.map((s) => (
                <Checkbox key={s} label={scopeLabels[s]} value={s} {...register('scope')} />
              ))}
            </Fieldset>
          </>
        ) : null}
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Sending…">
            Send invitation
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
