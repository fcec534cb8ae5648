import { z } from 'zod';
import {
  clearinghouseInputSchema,
  type ClearinghouseAdminView,
  type ClearinghouseInput,
} from '../../../server/contracts/central/claims-endpoints';

/**
 * The connection form's values: one flat set of text fields for both kinds (what the person typed), turned
 * into the shared contract's body and validated by it, so the sentences under the fields are the same ones
 * central answers with. Secrets left empty are left out of the body: central keeps the stored one.
 */
export const formValuesSchema = z.object({
  transport: z.enum(['sftp', 'https']),
  host: z.string(),
  port: z.string(),
  username: z.string(),
  hostKeySha256: z.string(),
  privateKey: z.string(),
  password: z.string(),
  uploadDir: z.string(),
  inbound999: z.string(),
  inbound277ca: z.string(),
  inbound835: z.string(),
  inbound271: z.string(),
  archiveDir: z.string(),
  baseUrl: z.string(),
  clientId: z.string(),
  clientSecret: z.string(),
});
export type FormValues = z.infer<typeof formValuesSchema>;
export const formFields = Object.keys(formValuesSchema.shape) as (keyof FormValues)[];

const secret = (v: string) => (v.trim() === '' ? undefined : v);

/** The body for `setClinicClearinghouse`, before validation (a port that is not a number stays NaN and is refused). */
export function toInput(v: FormValues): unknown {
  if (v.transport === 'https')
    return { transport: 'https', baseUrl: v.baseUrl, clientId: v.clientId, clientSecret: secret(v.clientSecret) };
  return {
    transport: 'sftp',
    host: v.host,
    port: v.port.trim() === '' ? undefined : Number(v.port),
    username: v.username,
    hostKeySha256: v.hostKeySha256,
    privateKey: secret(v.privateKey),
    password: secret(v.password),
    uploadDir: v.uploadDir,
    inbound999: v.inbound999,
    inbound277ca: v.inbound277ca,
    inbound835: v.inbound835,
    inbound271: v.inbound271,
    archiveDir: v.archiveDir,
  };
}

/** The form's schema: its values, mapped to the contract's body and checked by the contract itself. */
export const connectionFormSchema = formValuesSchema.transform(toInput).pipe(clearinghouseInputSchema) as z.ZodType<
  ClearinghouseInput,
  FormValues
>;

/** What the form starts from: the shown connection (never a secret: those fields always start empty). */
export function valuesOf(view: ClearinghouseAdminView | undefined): FormValues {
  const f = view?.folders;
  return {
    transport: view?.transport ?? 'sftp',
    host: view?.transport === 'sftp' ? (view.host ?? '') : '',
    port: String(view?.transport === 'sftp' ? (view.port ?? 22) : 22),
    username: view?.transport === 'sftp' ? (view.user ?? '') : '',
    hostKeySha256: view?.hostKeySha256 ?? '',
    privateKey: '',
    password: '',
    uploadDir: f?.upload ?? '',
    inbound999: f?.x999 ?? '',
    inbound277ca: f?.x277ca ?? '',
    inbound835: f?.x835 ?? '',
    inbound271: f?.x271 ?? '',
    archiveDir: f?.archive ?? '',
    baseUrl: view?.apiUrl ?? '',
    clientId: view?.transport === 'https' ? (view.user ?? '') : '',
    clientSecret: '',
  };
}
