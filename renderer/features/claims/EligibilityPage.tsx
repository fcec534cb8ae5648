import { useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { buildEligibilityBodySchema } from '../../../server/contracts/claims/eligibility';
import { todayIn } from '../../../server/contracts/calendar';
import { call } from '../../api/client';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { PageHeader, useDocumentTitle } from '../../ui/Page';
import { useZodForm, ZodForm } from '../../ui/zod-form';
import './claims.css';

type Built = Awaited<ReturnType<typeof buildRequest>>;
const buildRequest = (date: string) => call('buildEligibilityRequest', { body: { date } });
type Read = Awaited<ReturnType<typeof readAnswers>>;
const readAnswers = (name: string, content: string) => call('importEligibilityResponse', { body: { name, content } });

/** A file picked in a form: the one FileList entry, checked before reading. */
const fileSchema = z.object({
  files: z.custom<FileList>((v) => typeof FileList !== 'undefined' && v instanceof FileList && v.length === 1, 'Choose the 271 file the clearinghouse returned.'),
});

/**
 * Billing > Eligibility: build the 270 for a day's appointments (one request per coverage in effect, each
 * traced to its coverage) to hand to the clearinghouse, and read the 271 that comes back; the answers
 * appear on each patient's insurance panel and in the check-in dialog.
 */
export function EligibilityPage() {
  useDocumentTitle('Eligibility');
  const session = useSession();
  return (
    <section className="page">
      <PageHeader title="Eligibility">
        <p>Ask payers whether a day’s patients are covered (270), then read their answers (271).</p>
      </PageHeader>
      <div className="cs-stack">
        <BuildForm today={todayIn(session.clinic.timeZone)} />
        <ImportForm />
      </div>
    </section>
  );
}

function BuildForm({ today }: { today: string }) {
  const [built, setBuilt] = useState<Built | null>(null);
  const edit = useZodForm(buildEligibilityBodySchema, {
    defaultValues: { date: today },
    fields: ['date'],
    onValid: async (v) => {
      setBuilt(null);
      setBuilt(await buildRequest(v.date));
    },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = edit.form;
  // One object URL per built file, released when the next one replaces it or the page closes.
  const href = useMemo(() => (built ? URL.createObjectURL(new Blob([built.content], { type: 'application/edi-x12' })) : null), [built]);
  useEffect(() => () => {
    if (href) URL.revokeObjectURL(href);
  }, [href]);
  return (
    <section className="bs-section" aria-labelledby="el-build">
      <h2 id="el-build" className="section-title">
        Requests for a day (270)
      </h2>
      <ZodForm form={edit} className="bs-inline-form el-form" aria-label="Build eligibility requests">
        <TextField label="Appointments on" type="date" error={errors.date?.message} {...register('date')} />
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Building…">
          Build 270
        </Button>
      </ZodForm>
      {built && href ? (
        <Alert tone="success" testId="eligibility-built">
          {built.inquiries} {built.inquiries === 1 ? 'request' : 'requests'} in {built.fileName} (interchange {built.interchangeControlNumber}).{' '}
          <a href={href} download={built.fileName}>
            Download the 270
          </a>{' '}
          for the clearinghouse.
        </Alert>
      ) : null}
      {built?.skipped.length ? (
        <div className="table-wrap">
          <table className="table table-dense" aria-label="Left out">
            <caption className="section-title">Left out</caption>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {built.skipped.map((s, i) => (
                <tr key={`${s.appointmentId}-${i}`}>
                  <td>{s.patientName}</td>
                  <td>{s.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function ImportForm() {
  const [read, setRead] = useState<Read | null>(null);
  const edit = useZodForm(fileSchema, {
    defaultValues: { files: undefined as unknown as FileList },
    fields: ['files'],
    aliases: { content: 'files', name: 'files' },
    onValid: async (v) => {
      setRead(null);
      const file = v.files[0]!;
      setRead(await readAnswers(file.name, await file.text()));
    },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = edit.form;
  return (
    <section className="bs-section" aria-labelledby="el-read">
      <h2 id="el-read" className="section-title">
        Answers (271)
      </h2>
      <ZodForm form={edit} className="bs-inline-form el-form" aria-label="Read eligibility answers">
        <TextField label="271 file" type="file" accept=".271,.txt,.x12,.edi" error={errors.files?.message} {...register('files')} />
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Reading…">
          Read answers
        </Button>
      </ZodForm>
      {read ? (
        <Alert tone={read.answered ? 'success' : 'warning'} testId="eligibility-read">
          {read.answered} {read.answered === 1 ? 'answer' : 'answers'} kept
          {Object.entries(read.byStatus).length ? ` (${Object.entries(read.byStatus).map(([k, n]) => `${n} ${k}`).join(', ')})` : ''}.
          {read.unknownTraces ? ` ${read.unknownTraces} matched no request of this clinic and were left aside.` : ''}
        </Alert>
      ) : null}
    </section>
  );
}
