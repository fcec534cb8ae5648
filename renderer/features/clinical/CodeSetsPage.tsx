import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  codeSetImportQuerySchema,
  type CodeSetImport,
  type CodeSetStatus,
} from '../../../server/contracts/clinical';
import { useSession } from '../../app/auth';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { uploadFile } from '../../api/upload';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Checkbox, TextField } from '../../ui/Field';
import { applyFieldErrors, formErrorMessage } from '../../ui/form';
import { formatDateTime } from '../../ui/format';
import { Loading, PageHeader } from '../../ui/Page';

/**
 * Admin > Code sets: which ICD-10-CM release this workstation codes with, and importing CDC's file from
 * the browser (the file goes up with a progress bar, then the server reads it while the screen polls).
 * An enrolled workstation receives the release imported at central instead.
 */
export function CodeSetsPage() {
  const status = useQuery({ queryKey: keys.icd10Status, queryFn: () => call('getIcd10Status') });
  const sync = useQuery({ queryKey: keys.syncStatus, queryFn: () => call('syncStatus') });
  const enrolled = sync.data !== undefined && sync.data.state !== 'not_enrolled';
  return (
    <section className="page">
      <PageHeader title="Code sets">
        <p>
          Diagnoses are coded with ICD-10-CM. Tessera ships no codes: import the file CDC publishes,
          &ldquo;Code Descriptions in Tabular Order&rdquo; (<code>icd10cm-codes-&lt;year&gt;.txt</code> from
          the zip on CDC&rsquo;s ICD-10-CM files page), once per release.
        </p>
      </PageHeader>
      {status.isPending ? <Loading label="Loading the code set…" /> : null}
      {status.isError ? <Alert tone="error">{errorMessage(status.error)}</Alert> : null}
      {status.isSuccess ? <CurrentRelease status={status.data} /> : null}
      {enrolled ? (
        <Alert tone="info" testId="codeset-from-central">
          This workstation is enrolled with the central server, so it receives the code set from central: an
          administrator imports the file once there (<code>npm run central -- icd10 import</code>) and every
          workstation of the organization gets the new release at its next sync.
        </Alert>
      ) : sync.isSuccess ? (
        <ImportForm />
      ) : null}
    </section>
  );
}

function CurrentRelease({ status }: { status: CodeSetStatus }) {
  const zone = useSession().clinic.timeZone;
  if (status.coverage === 'none') {
    return (
      <Alert tone="warning" testId="codeset-none">
        No ICD-10-CM code set is installed yet. Until one is, clinicians record diagnoses as text flagged
        &ldquo;uncoded&rdquo; (notes still sign) and code them later from the problem list.
      </Alert>
    );
  }
  return (
    <dl className="facts" data-testid="codeset-current">
      <div>
        <dt>Release</dt>
        <dd>{status.release}</dd>
      </div>
      <div>
        <dt>Codes</dt>
        <dd>
          {status.codeCount.toLocaleString('en-US')}
          {status.coverage === 'partial' ? <span className="badge badge-warning">Partial</span> : null}
        </dd>
      </div>
      <div>
        <dt>Installed</dt>
        <dd>
          {formatDateTime(status.installedAt, zone)} ·{' '}
          {status.origin === 'central' ? 'received from central' : 'imported on this workstation'}
        </dd>
      </div>
      {status.retiredCount ? (
        <div>
          <dt>Retired codes</dt>
          <dd>
            {status.retiredCount.toLocaleString('en-US')} codes of earlier releases, kept so records that use
            them stay readable; not valid for new diagnoses
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

const importFormSchema = z.object({
  files: z.custom<FileList>(
    (v) => typeof FileList !== 'undefined' && v instanceof FileList && v.length === 1,
    'Choose the codes file (icd10cm-codes-<year>.txt).',
  ),
  release: codeSetImportQuerySchema.shape.release,
  allowPartial: z.boolean(),
});
type ImportForm = z.infer<typeof importFormSchema>;

/** "icd10cm-codes-2026.txt" → "FY2026": a starting point the administrator can change. */
const releaseFromFileName = (name: string) => {
  const year = /(20\d\d)/.exec(name)?.[1];
  return year ? `FY${year}` : '';
};

type Progress = { phase: 'uploading'; sent: number; total: number } | { phase: 'server'; job: CodeSetImport };

function ImportForm() {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<CodeSetImport | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    getValues,
    formState: { errors, isSubmitting },
  } = useForm<ImportForm>({
    resolver: zodResolver(importFormSchema),
    defaultValues: { release: '', allowPartial: false },
  });
  const files = register('files', {
    onChange: (e: { target: HTMLInputElement }) => {
      const file = e.target.files?.[0];
      if (file && !getValues('release').trim()) setValue('release', releaseFromFileName(file.name));
      setServerError(null);
      setResult(null);
    },
  });

  const submit = handleSubmit(async (form) => {
    setServerError(null);
    setResult(null);
    const file = form.files[0]!;
    try {
      const started = await uploadFile('createCodeSetImport', {
        query: { release: form.release, allowPartial: form.allowPartial ? 'true' : 'false' },
        file,
        onProgress: (sent, total) => setProgress({ phase: 'uploading', sent, total }),
      });
      let job = started;
      setProgress({ phase: 'server', job });
      while (job.state === 'reading' || job.state === 'installing') {
        await new Promise((r) => setTimeout(r, 250));
        job = await call('getCodeSetImport', { params: { id: job.id }, background: true });
        setProgress({ phase: 'server', job });
      }
      setResult(job);
      if (job.state === 'done') {
        void queryClient.invalidateQueries({ queryKey: ['icd10'] });
        void queryClient.invalidateQueries({ queryKey: ['patients'] });
      }
    } catch (err) {
      applyFieldErrors(err, setError, ['release']);
      setServerError(formErrorMessage(err));
    } finally {
      setProgress(null);
    }
  });

  return (
    <form className="form form-narrow" onSubmit={(e) => void submit(e)} noValidate>
      <h2>Import a release</h2>
      {result?.state === 'done' && result.installed?.coverage !== 'none' ? (
        <Alert tone="success" testId="codeset-imported">
          Installed ICD-10-CM {result.installed?.release}:{' '}
          {result.installed?.codeCount.toLocaleString('en-US')} codes. Diagnosis searches use it at once.
        </Alert>
      ) : null}
      {result?.state === 'failed' ? (
        <Alert tone="error" testId="codeset-import-failed">
          {result.message}
        </Alert>
      ) : null}
      {serverError ? <Alert tone="error">{serverError}</Alert> : null}
      <TextField
        label="Codes file"
        type="file"
        accept=".txt,text/plain"
        hint="The codes file (or the order file) from CDC’s “Code Descriptions in Tabular Order” zip, unzipped."
        error={errors.files?.message}
        {...files}
      />
      <TextField
        label="Release name"
        hint="What the screens show and each coded diagnosis keeps, e.g. FY2026 (October 1, 2025)."
        error={errors.release?.message}
        {...register('release')}
      />
      <Checkbox
        label="This is a partial code set (a specialty subset under 10,000 codes)"
        {...register('allowPartial')}
      />
      {progress ? <ImportProgress progress={progress} /> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Importing…">
          Import code set
        </Button>
      </div>
    </form>
  );
}

function ImportProgress({ progress }: { progress: Progress }) {
  let value: number;
  let label: string;
  if (progress.phase === 'uploading') {
    value = progress.total ? progress.sent / progress.total : 0;
    label = `Uploading: ${Math.round(value * 100)}% of ${(progress.total / 1024 / 1024).toFixed(1)} MB`;
  } else if (progress.job.state === 'reading') {
    value = progress.job.lineCount ? progress.job.linesRead / progress.job.lineCount : 0;
    label = `Reading codes: line ${progress.job.linesRead.toLocaleString('en-US')} of ${progress.job.lineCount.toLocaleString('en-US')}`;
  } else {
    value = 1;
    label = 'Installing and indexing the codes…';
  }
  return (
    <div className="field" role="status" data-testid="codeset-progress">
      <progress className="progress" max={1} value={value} aria-label="Import progress" />
      <p className="progress-line">{label}</p>
    </div>
  );
}
