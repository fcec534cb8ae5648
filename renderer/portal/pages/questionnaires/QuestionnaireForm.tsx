import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { instruments, type InstrumentId } from '../../../../server/contracts/questionnaires/instruments';
import { Button } from '../../../ui/Button';
import { Fieldset } from '../../../ui/Field';
import { SendBar } from '../SendBar';
import { portal, PortalError } from '../../api';
import { useI18n } from '../../i18n';

/** Every question needs an answer: an unanswered one is marked under its own question. */
const sheetSchema = z.object({
  answers: z.array(z.string().nullable()).superRefine((answers, ctx) => {
    answers.forEach((a, i) => {
      if (a === null || a === '') ctx.addIssue({ code: 'custom', path: [i], message: 'q.answerAll' });
    });
  }),
});
type Sheet = z.input<typeof sheetSchema>;

/**
 * One questionnaire: its stem, then each item as a group of four large radio choices (one column on a
 * phone). It cannot be sent with a question unanswered; the first unanswered one gets the focus.
 */
export function QuestionnaireForm({
  assignmentId,
  instrument,
  onBack,
  onSent,
}: {
  assignmentId: string;
  instrument: InstrumentId;
  onBack: () => void;
  /** `crisis`: an urgent item (PHQ-9 item 9) was answered above zero. */
  onSent: (crisis: boolean) => void;
}) {
  const { t, lang, errorText } = useI18n();
  const inst = instruments[instrument];
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<Sheet>({
    resolver: zodResolver(sheetSchema),
    defaultValues: { answers: inst.items.map(() => null) },
    shouldFocusError: true,
  });
  const errors = form.formState.errors.answers;
  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    const answers = v.answers.map((a) => (a === null ? null : Number(a)));
    try {
      await portal('portalSubmitQuestionnaire', { params: { id: assignmentId }, body: { answers } });
      onSent(inst.urgentItems.some((i) => (answers[i] ?? 0) > 0));
    } catch (err) {
      const field = err instanceof PortalError ? Object.keys(err.fields)[0] : undefined;
      const n = field?.startsWith('answers.') ? Number(field.slice(8)) : NaN;
      if (!Number.isNaN(n)) form.setError(`answers.${n}`, { message: 'q.answerAll' }, { shouldFocus: true });
      else setFailure(errorText(err));
    }
  });
  return (
    <section className="portal-card" aria-labelledby="qf-title">
      <div>
        <Button variant="link" onClick={onBack}>
          ← {t('q.back')}
        </Button>
      </div>
      <h1 id="qf-title" className="portal-title">
        {inst.title[lang]}
      </h1>
      <p>{inst.stem[lang]}</p>
      <form className="portal-form" noValidate onSubmit={(e) => void onSubmit(e)}>
        {inst.items.map((item, i) => {
          const error = errors?.[i]?.message;
          return (
            <Fieldset
              key={i}
              legend={`${i + 1}. ${item[lang]}`}
              error={error ? t('q.answerAll', { n: i + 1 }) : undefined}
              className="portal-question"
            >
              <div className="portal-choices" data-testid={`question-${i + 1}`}>
                {inst.choices.map((c, v) => (
                  <label key={v} className="portal-choice">
                    <input type="radio" value={String(v)} {...form.register(`answers.${i}`)} />
                    <span>{c[lang]}</span>
                  </label>
                ))}
              </div>
            </Fieldset>
          );
        })}
        <SendBar
          failure={failure}
          busy={form.formState.isSubmitting}
          label={t('q.send')}
          busyLabel={t('q.sending')}
        />
      </form>
    </section>
  );
}
