import { useQueryClient } from '@tanstack/react-query';
import type { ClearinghouseAdminView } from '../../../server/contracts/central/claims-endpoints';
import { Button } from '../../ui/Button';
import { Fieldset, SelectField, TextAreaField, TextField } from '../../ui/Field';
import { useZodForm, ZodForm } from '../../ui/zod-form';
import { central } from '../api';
import { connectionFormSchema, formFields, valuesOf, type FormValues } from './form-values';

/**
 * Setting a clinic's connection. The secret fields are write-only: they start empty, and left empty they keep
 * what central stores (for the same kind of connection). Each refusal, the form's own or central's, is a
 * sentence under its field.
 */
export function ConnectionForm({
  clinicId,
  view,
  queryKey,
}: {
  clinicId: string;
  view: ClearinghouseAdminView;
  queryKey: readonly unknown[];
}) {
  const client = useQueryClient();
  const { form, server, submit } = useZodForm(connectionFormSchema, {
    defaultValues: valuesOf(view),
    fields: formFields,
    onValid: async (body) => {
      const saved = await central('setClinicClearinghouse', { params: { clinicId }, body });
      // The page re-keys this form by the saved time: it starts again from what central now holds.
      client.setQueryData(queryKey, saved);
    },
  });
  const transport = form.watch('transport');
  const e = form.formState.errors;
  const field = (name: keyof FormValues) => ({ error: e[name]?.message, ...form.register(name) });
  // A stored secret is kept only by a stored connection of the same kind.
  const keeps = view.source === 'central' && view.transport === transport;
  const secretHint = keeps
    ? 'Write-only: never shown. Kept when left empty.'
    : 'Write-only: stored encrypted on central and never shown again.';

  return (
    <ZodForm form={{ server, submit }} className="panel form" aria-labelledby="clearinghouse-form-title">
      <h2 id="clearinghouse-form-title" className="section-title">
        {view.source === 'central' ? 'Change the connection' : 'Set a connection'}
      </h2>
      <SelectField label="Connection kind" {...form.register('transport')}>
        <option value="sftp">SFTP (batch files in folders)</option>
        <option value="https">HTTPS (clearinghouse API)</option>
      </SelectField>
      {transport === 'sftp' ? (
        <>
          <div className="form-grid form-grid-3">
            <TextField label="Host" autoComplete="off" spellCheck={false} {...field('host')} />
            <TextField label="Port" inputMode="numeric" autoComplete="off" {...field('port')} />
            <TextField label="User" autoComplete="off" spellCheck={false} {...field('username')} />
          </div>
          <TextField
            label="Host key fingerprint"
            autoComplete="off"
            spellCheck={false}
            className="mono"
            hint="As ssh-keygen -lf prints it for the server’s host key: SHA256:…"
            {...field('hostKeySha256')}
          />
          <div className="form-grid">
            <TextAreaField
              label="Private key"
              rows={2}
              autoComplete="off"
              spellCheck={false}
              className="mono"
              hint={`${secretHint} Preferred over a password.`}
              {...field('privateKey')}
            />
            <TextField label="Password" type="password" autoComplete="new-password" hint={secretHint} {...field('password')} />
          </div>
          <Fieldset legend="Folders on the clearinghouse server (absolute paths)">
            <div className="form-grid form-grid-3">
              <TextField label="Upload folder" spellCheck={false} {...field('uploadDir')} />
              <TextField label="999 folder" spellCheck={false} {...field('inbound999')} />
              <TextField label="277CA folder" spellCheck={false} {...field('inbound277ca')} />
              <TextField label="835 folder" spellCheck={false} {...field('inbound835')} />
              <TextField label="271 folder" spellCheck={false} {...field('inbound271')} />
              <TextField label="Archive folder" spellCheck={false} {...field('archiveDir')} />
            </div>
          </Fieldset>
        </>
      ) : (
        <>
          <TextField label="API address" autoComplete="off" spellCheck={false} hint="https://…" {...field('baseUrl')} />
          <div className="form-grid">
            <TextField label="Client id" autoComplete="off" spellCheck={false} {...field('clientId')} />
            <TextField label="Client secret" type="password" autoComplete="new-password" hint={secretHint} {...field('clientSecret')} />
          </div>
        </>
      )}
      <div>
        <Button type="submit" variant="primary" busy={form.formState.isSubmitting}>
          Save connection
        </Button>
      </div>
    </ZodForm>
  );
}
