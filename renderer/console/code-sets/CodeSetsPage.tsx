import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { publishCodeSetSchema } from '../../../server/contracts/central';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Checkbox, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { central } from '../api';
import { count, dateTime } from '../format';
import { useOrgChoice } from '../scope';

/**
 * The organization's ICD-10-CM release: imported once here (CDC's codes file), then every workstation of its
 * clinics downloads it, checks its SHA-256 and installs it (docs/clinical.md, "Code sets from central").
 */
export function CodeSetsPage() {
  const { orgs, org, picker } = useOrgChoice();
  return (
    <div className="page page-wide">
      <PageHeader title="Code sets">
        Import the ICD-10-CM release your organization is licensed for, once. Every workstation of its clinics receives it.
      </PageHeader>
      <div className="console-toolbar">{picker}</div>
      {orgs.isPending ? <Loading /> : null}
      {orgs.data?.length === 0 ? <EmptyState>No organization yet.</EmptyState> : null}
      {org ? (
        <div className="console-grid">
          <Releases orgId={org.id} />
          <ImportRelease orgId={org.id} />
        </div>
      ) : null}
    </div>
  );
}

const releasesKey = (orgId: string) => ['console', 'code-sets', orgId];

function Releases({ orgId }: { orgId: string }) {
  const list = useQuery({
    queryKey: releasesKey(orgId),
    queryFn: async () => (await central('listCodeSets', { params: { orgId } })).releases,
  });
  if (list.isPending) return <Loading />;
  if (list.isError) return <Alert tone="error">{list.error.message}</Alert>;
  if (list.data.length === 0)
    return (
      <EmptyState>
        No ICD-10-CM release yet — import CDC’s codes file on the right. Until then workstations use whatever they imported themselves.
      </EmptyState>
    );
  return (
    <div className="table-wrap">
      <table className="table table-dense" data-testid="code-set-table">
        <thead>
          <tr>
            <th scope="col">Release</th>
            <th scope="col" className="num">Codes</th>
            <th scope="col">Imported</th>
            <th scope="col">SHA-256</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {list.data.map((r, i) => (
            <tr key={r.id}>
              <th scope="row">{r.release}</th>
              <td className="num">{count(r.codeCount)}</td>
              <td>{dateTime(r.publishedAt)}</td>
              <td className="mono" title={r.digest}>{r.digest.slice(0, 16)}…</td>
              <td>{i === 0 ? <span className="badge badge-ok">Current</span> : <span className="badge badge-muted">Earlier</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const importForm = z.object({
  release: publishCodeSetSchema.shape.release,
  allowPartial: z.boolean(),
});

function ImportRelease({ orgId }: { orgId: string }) {
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const form = useForm<z.input<typeof importForm>>({
    resolver: zodResolver(importForm),
    defaultValues: { release: '', allowPartial: false },
  });
  const errors = useServerErrors(form, ['release', 'allowPartial'], { content: 'release' });
  const [done, setDone] = useState<string | null>(null);
  const submit = form.handleSubmit(async (values) => {
    setDone(null);
    if (!file) {
      setFileError('Choose CDC’s codes file (icd10cm-codes-<year>.txt).');
      return;
    }
    try {
      const content = await file.text();
      const r = await central('publishCodeSet', { params: { orgId }, body: { ...values, content } });
      setDone(`${r.release} is now current: ${count(r.codeCount)} codes. Workstations install it on their next check.`);
      form.reset();
      setFile(null);
      await client.invalidateQueries({ queryKey: releasesKey(orgId) });
    } catch (err) {
      errors.report(err);
    }
  });
  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="import-title">
      <h2 id="import-title" className="section-title">Import a release</h2>
      {errors.banner ? <Alert tone="error">{errors.banner}</Alert> : null}
      {done ? <Alert tone="success">{done}</Alert> : null}
      <TextField
        label="Codes file"
        type="file"
        accept=".txt,text/plain"
        error={fileError ?? undefined}
        onChange={(e) => {
          setFileError(null);
          setFile(e.target.files?.[0] ?? null);
        }}
      />
      <TextField label="Release name" placeholder="FY2026 (October 1, 2025)" error={form.formState.errors.release?.message} {...form.register('release')} />
      <Checkbox label="It is a partial code set (fewer than 10,000 codes) on purpose" {...form.register('allowPartial')} />
      <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel="Importing…">
        Import release
      </Button>
    </form>
  );
}
