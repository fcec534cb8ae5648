import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { PatientForms } from '../../../server/contracts/forms';
import { consentIds } from '../../../server/contracts/forms/consents';
import { relationshipLabels } from '../../../server/contracts/patients/codes';
import { call, endpointUrl, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField } from '../../ui/Field';
import { formatShortDateTime } from '../../ui/format';
import { useZodForm, ZodForm } from '../../ui/zod-form';
import { Facts, RecordPanel } from '../patients/RecordPanel';
import { formatPhone } from '../patients/patient-format';
import { ChangesTable } from './ChangesTable';
import { formName, formStatusLabels } from './labels';
import '../inbox/inbox.css';
import './forms.css';

const choices = ['intake', ...consentIds.map((c) => `consent:${c}` as const)] as const;
const sendForm = z.object({ form: z.enum(choices, 'Choose a form.') });

/**
 * Portal forms on the patient record: send the intake or a consent to the portal, what is waiting, what
 * came back (intake answers; signed consents with their PDF) and the changes the patient proposed, with
 * their decisions (pending ones can be decided here too).
 */
export function FormsPanel({
  patientId,
  canWrite,
  onRecordChanged,
}: {
  patientId: string;
  canWrite: boolean;
  onRecordChanged: () => void;
}) {
  const zone = useSession().clinic.timeZone;
  const queryClient = useQueryClient();
  const key = keys.forms(patientId);
  const data = useQuery({
    queryKey: key,
    queryFn: () => call('patientForms', { params: { patientId }, background: isLiveRefresh(key) }),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.formsAll });
  const { form, server, submit } = useZodForm(sendForm, {
    defaultValues: { form: 'intake' },
    fields: ['form'],
    onValid: async ({ form: f }) => {
      const body =
        f === 'intake'
          ? { kind: 'intake' as const }
          : {
              kind: 'consent' as const,
              consentId: f.slice('consent:'.length) as (typeof consentIds)[number],
            };
      await call('formSend', { params: { patientId }, body });
      await refresh();
    },
  });
  const stop = useMutation({
    mutationFn: (id: string) => call('formStop', { params: { patientId, id } }),
    onSuccess: refresh,
  });
  const d = data.data;
  const waiting = d?.forms.filter((f) => f.status === 'active') ?? [];
  return (
    <RecordPanel title="Portal forms">
      {data.error ? <Alert tone="error">{errorMessage(data.error)}</Alert> : null}
      {stop.error ? <Alert tone="error">{errorMessage(stop.error)}</Alert> : null}
      {canWrite ? (
        <ZodForm form={{ server, submit }} className="form q-send form-send" aria-label="Send a form">
          <SelectField label="Form" error={form.formState.errors.form?.message} {...form.register('form')}>
            <option value="intake">Intake form</option>
            {consentIds.map((c) => (
              <option key={c} value={`consent:${c}`}>
                {formName('consent', c)}
              </option>
            ))}
          </SelectField>
          <Button type="submit" size="small" busy={form.formState.isSubmitting} busyLabel="Sending…">
            Send to the portal
          </Button>
        </ZodForm>
      ) : null}
      {d && d.forms.length === 0 ? (
        <p className="muted">No forms yet. Send one; the patient fills it in or signs it on the portal.</p>
      ) : null}
      {waiting.length ? (
        <ul className="plain-list" data-testid="forms-waiting">
          {waiting.map((f) => (
            <li key={f.id}>
              {formName(f.kind, f.consentId)} · {formStatusLabels[f.status]} (sent{' '}
              {formatShortDateTime(f.sentAt, zone)}
              {f.sentByName ? ` by ${f.sentByName}` : ''}){' '}
              {canWrite ? (
                <Button size="small" variant="link" onClick={() => stop.mutate(f.id)}>
                  Stop asking
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {d?.submissions.map((s) => (
        <Submission key={s.id} patientId={patientId} submission={s} zone={zone} />
      ))}
      {d?.changes.length ? (
        <>
          <h3 className="section-title">Changes the patient proposed</h3>
          <ChangesTable
            changes={d.changes}
            zone={zone}
            canDecide={canWrite}
            showPatient={false}
            onDecided={onRecordChanged}
          />
        </>
      ) : null}
    </RecordPanel>
  );
}

const yesNo = (v: 'yes' | 'no', detail: string) => (v === 'yes' ? `Yes${detail ? `: ${detail}` : ''}` : 'No');

function Submission({
  patientId,
  submission: s,
  zone,
}: {
  patientId: string;
  submission: PatientForms['submissions'][number];
  zone: string;
}) {
  const sent = `${formatShortDateTime(s.submittedAt, zone)} by ${s.submittedBy}`;
  if (s.consent)
    return (
      <div className="form-submission" data-testid="form-submission">
        <strong>{s.consent.title}</strong> — signed “{s.consent.signedName}” {sent} (version{' '}
        {s.consent.version}, {s.consent.language === 'es' ? 'Spanish' : 'English'}){' '}
        <a href={endpointUrl('formConsentPdf', { params: { patientId, id: s.id } })} download>
          Signed PDF
        </a>
      </div>
    );
  if (!s.intake) return null;
  const { emergencyContact: c, history: h } = s.intake;
  return (
    <div className="form-submission" data-testid="form-submission">
      <strong>Intake form</strong> — sent {sent}
      <Facts
        rows={[
          ['Reason for visit', h.reason],
          ['Medicines', yesNo(h.takesMedicines, h.medicines)],
          ['Allergies', yesNo(h.hasAllergies, h.allergies)],
          ['Counseling before', yesNo(h.priorCounseling, '')],
          ['Anything else', h.otherHistory],
          ['Emergency contact', `${c.name} (${relationshipLabels[c.relationship]}), ${formatPhone(c.phone)}`],
        ]}
      />
    </div>
  );
}
