import type { ClearinghouseConnection } from '../../../contracts/central/claims-endpoints';
import type { CentralDb } from '../../db/pool';
import type { ClearinghouseJobSettings } from './config';

/**
 * What a clinic's staff may know about central's clearinghouse connection (docs/claims.md, "Clearinghouse
 * connection"): whether one serves their clinic, SFTP or HTTPS, and when it last sent a batch, received a file
 * (both from the database, so every node answers the same) and polled (this node's own last completed poll).
 * Never the host, user, key, folders or URL.
 */
export async function clearinghouseConnection(
  db: CentralDb,
  clinicId: string,
  settings: ClearinghouseJobSettings | null | undefined,
  lastPollAt: () => string | null,
): Promise<ClearinghouseConnection> {
  if (!settings || settings.clinicId !== clinicId)
    return { configured: false, transport: null, lastSendAt: null, lastFileAt: null, lastPollAt: null };
  const times = await db.tx({ clinicId }, async (tx) => {
    const r = await tx.query<{ sent: Date | null; received: Date | null }>(
      `SELECT (SELECT max(sent_at) FROM claim_transmissions WHERE clinic_id = $1) AS sent,
              (SELECT max(received_at) FROM clearinghouse_inbound WHERE clinic_id = $1) AS received`,
      [clinicId],
    );
    return r.rows[0];
  });
  return {
    configured: true,
    transport: settings.connection.transport,
    lastSendAt: times?.sent ? new Date(times.sent).toISOString() : null,
    lastFileAt: times?.received ? new Date(times.received).toISOString() : null,
    lastPollAt: lastPollAt(),
  };
}
