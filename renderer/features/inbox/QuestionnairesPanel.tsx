import { z } from 'zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { questionnaireSendSchema } from '../../../server/contracts/inbox';
import { questionnaireRepeatWeeks } from '../../../server/contracts/portal/messaging';
import { instrumentIds, instruments } from '../../../server/contracts/questionnaires/instruments';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField } from '../../ui/Field';
import { formatShortDateTime } from '../../ui/format';
import { useZodForm, ZodForm } from '../../ui/zod-form';
import { RecordPanel } from '../patients/RecordPanel';
import { ScoreChart } from './ScoreChart';
import { severityLabel } from './severity';
import './inbox.css';

const scheduleLabels = {
  once: 'Once',
  before_each_visit: 'Before each visit',
  every_weeks: 'On a schedule',
} as const;
const everyLabel = (weeks: number) => (weeks === 1 ? 'Every week' : `Every ${weeks} weeks`);
const statusLabels = {
  active: 'Waiting for the patient',
  completed: 'Answered',
  cancelled: 'Stopped',
} as const;

// The interval select holds text; it is only read (and required) when the schedule repeats.
const sendForm = z
  .object({
    instrument: z.enum(instrumentIds, 'Choose a questionnaire.'),
    schedule: questionnaireSendSchema.shape.schedule,
    repeatWeeks: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.schedule === 'every_weeks' && !questionnaireRepeatWeeks.some((n) => String(n) === v.repeatWeeks))
      ctx.addIssue({ code: 'custom', path: ['repeatWeeks'], message: 'Choose how often to ask.' });
  })
  .transform(({ repeatWeeks, ...v }) => ({
    ...v,
    repeatWeeks: v.schedule === 'every_weeks' ? Number(repeatWeeks) : null,
  }));

/**
 * Questionnaires on the patient record: ask the patient to fill in PHQ-9 or GAD-7 in the portal (once,
 * before each visit, or every 1, 2 or 4 weeks until stopped), what is waiting, and the scores over time
 * (table and chart), with urgent answers marked until a clinician reviews them.
 */
export function QuestionnairesPanel({ patientId }: { patientId: string }) {
  const zone = useSession().clinic.timeZone;
  const canWrite = useCan()('chart.write');
  const queryClient = useQueryClient();
  const key = keys.questionnaires(patientId);
  const data = useQuery({
    queryKey: key,
    queryFn: () => call('patientQuestionnaires', { params: { patientId }, background: isLiveRefresh(key) }),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.inboxAll });
  const { form, server, submit } = useZodForm(sendForm, {
    defaultValues: { instrument: 'phq9', schedule: 'once', repeatWeeks: '2' },
    fields: ['instrument', 'schedule', 'repeatWeeks'],
    onValid: async (values) => {
      await call('questionnaireSend', { params: { patientId }, body: values });
      await refresh();
    },
  });
  const stop = useMutation({
    mutationFn: (id: string) => call('questionnaireStop', { params: { patientId, id } }),
    onSuccess: refresh,
  });
  const review = useMutation({
    mutationFn: (id: string) => call('questionnaireReview', { params: { patientId, id } }),
    onSuccess: refresh,
  });
  const q = data.data;
  const newestFirst = q ? [...q.responses].reverse() : [];
  return (
    <RecordPanel title="Questionnaires">
      {data.error ? <Alert tone="error">{errorMessage(data.error)}</Alert> : null}
      {stop.error || review.error ? (
        <Alert tone="error">{errorMessage(stop.error ?? review.error)}</Alert>
      ) : null}
      {canWrite ? (
        <ZodForm form={{ server, submit }} className="form q-send" aria-label="Send a questionnaire">
          <SelectField
            label="Questionnaire"
            error={form.formState.errors.instrument?.message}
            {...form.register('instrument')}
          >
            {instrumentIds.map((id) => (
              <option key={id} value={id}>
                {instruments[id].name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="When"
            error={form.formState.errors.schedule?.message}
            {...form.register('schedule')}
          >
            <option value="once">Once</option>
            <option value="before_each_visit">Before each visit</option>
            <option value="every_weeks">On a schedule</option>
          </SelectField>
          {form.watch('schedule') === 'every_weeks' ? (
            <SelectField
              label="How often"
              error={form.formState.errors.repeatWeeks?.message}
              {...form.register('repeatWeeks')}
            >
              {questionnaireRepeatWeeks.map((n) => (
                <option key={n} value={String(n)}>
                  {everyLabel(n)}
                </option>
              ))}
            </SelectField>
          ) : null}
          <Button type="submit" size="small" busy={form.formState.isSubmitting} busyLabel="Sending…">
            Send to the portal
          </Button>
        </ZodForm>
      ) : null}
      {q && q.assignments.length === 0 && q.responses.length === 0 ? (
        <p className="muted">No questionnaires yet. Send one; the patient fills it in on the portal.</p>
      ) : null}
      {q?.assignments.some((a) => a.status === 'active') ? (
        <ul className="plain-list">
          {q.assignments
            .filter((a) => a.status === 'active')
            .map((a) => (
              <li key={a.id}>
                {instruments[a.instrument].name} ·{' '}
                {a.repeatWeeks ? everyLabel(a.repeatWeeks) : scheduleLabels[a.schedule]} ·{' '}
                {statusLabels[a.status]} (sent {formatShortDateTime(a.sentAt, zone)}
                {a.sentByName ? ` by ${a.sentByName}` : ''}){' '}
                {canWrite ? (
                  <Button size="small" variant="link" onClick={() => stop.mutate(a.id)}>
                    Stop asking
                  </Button>
                ) : null}
              </li>
            ))}
        </ul>
      ) : null}
      {q?.responses.length ? (
        <>
          <ScoreChart responses={q.responses} />
          <table className="table table-dense" data-testid="questionnaire-scores">
            <thead>
              <tr>
                <th scope="col">Answered</th>
                <th scope="col">Questionnaire</th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col">Severity</th>
                <th scope="col">Flag</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((r) => (
                <tr key={r.id}>
                  <td>{formatShortDateTime(r.submittedAt, zone)}</td>
                  <td>{instruments[r.instrument].name}</td>
                  <td className="num">{r.totalScore}</td>
                  <td>{severityLabel(r.instrument, r.severity)}</td>
                  <td>
                    {r.urgent && !r.reviewedAt ? (
                      <>
                        <span className="badge badge-danger">Item 9 positive</span>{' '}
                        {canWrite ? (
                          <Button size="small" onClick={() => review.mutate(r.id)}>
                            Mark reviewed
                          </Button>
                        ) : null}
                      </>
                    ) : r.urgent ? (
                      <span className="muted">
                        Item 9 reviewed{r.reviewedByName ? ` by ${r.reviewedByName}` : ''}
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </RecordPanel>
  );
}
