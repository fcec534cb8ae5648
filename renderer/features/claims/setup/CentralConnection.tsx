import { useQuery } from '@tanstack/react-query';
import { call, errorMessage } from '../../../api/client';
import { useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Loading } from '../../../ui/Page';
import { formatShortDateTime } from '../../../ui/format';
import { claimsSetupKeys } from './keys';

const TRANSPORT = { sftp: 'SFTP', https: 'the clearinghouse’s HTTPS API' } as const;

/**
 * Whether central holds this clinic's clearinghouse connection (it keeps the credentials; this workstation
 * never sees them): configured or not, SFTP or HTTPS, and when it last sent, received and polled. When central
 * cannot be asked, the sentence says why; the rest of the tab keeps working.
 */
export function CentralConnection() {
  const timeZone = useSession().clinic.timeZone;
  const q = useQuery({
    queryKey: claimsSetupKeys.connection,
    queryFn: ({ signal }) => call('getClearinghouseConnection', { signal }),
    retry: false,
  });
  const at = (iso: string | null, none: string) => (iso ? formatShortDateTime(iso, timeZone) : none);
  if (q.isPending) return <Loading label="Asking central about the connection…" />;
  if (q.isError) return <Alert tone="error">{errorMessage(q.error)}</Alert>;
  const c = q.data;
  if (!c.reachable)
    return (
      <Alert tone="warning" testId="clearinghouse-connection">
        {c.message}
      </Alert>
    );
  if (!c.configured)
    return (
      <Alert tone="warning" testId="clearinghouse-connection">
        Central has no clearinghouse connection for this clinic, so batches queue but are not sent. The central
        administrator sets it up in central’s environment; until then, download each batch from the claims board.
      </Alert>
    );
  return (
    <Alert tone="success" testId="clearinghouse-connection">
      Central sends this clinic’s batches and fetches its files over {TRANSPORT[c.transport ?? 'sftp']}. Last batch sent:{' '}
      {at(c.lastSendAt, 'none yet')}. Last file received: {at(c.lastFileAt, 'none yet')}. Last poll: {at(c.lastPollAt, 'not yet by this server')}.
    </Alert>
  );
}
