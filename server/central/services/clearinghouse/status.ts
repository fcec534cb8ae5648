import type { ClearinghouseConnection } from '../../../contracts/central/claims-endpoints';
import type { ColumnCipher } from '../../crypto';
import type { CentralDb } from '../../db/pool';
import type { ClearinghouseJobSettings } from './config';
import { connectionOf, lastPollOf } from './connections';

/**
 * What a clinic's staff may know about its clearinghouse connection (docs/claims.md, "Clearinghouse
 * connection"): whether one serves their clinic (stored on central, or the environment's bootstrap clinic),
 * SFTP or HTTPS, and when it last sent a batch, received a file and completed a poll — all from the
 * database, so every node answers the same, also after a restart. Never the host, user, key, folders or URL.
 */
export async function clearinghouseConnection(
  db: CentralDb,
  cipher: ColumnCipher,
  clinicId: string,
  env: ClearinghouseJobSettings | null | undefined,
): Promise<ClearinghouseConnection> {
  return db.tx({ clinicId }, async (tx) => {
    const { conn } = await connectionOf(tx, cipher, clinicId, env);
    if (!conn) return { configured: false, transport: null, lastSendAt: null, lastFileAt: null, lastPollAt: null };
    const r = await tx.query<{ sent: Date | null; received: Date | null }>(
      `SELECT (SELECT max(sent_at) FROM claim_transmissions WHERE clinic_id = $1) AS sent,
              (SELECT max(received_at) FROM clearinghouse_inbound WHERE clinic_id = $1) AS received`,
      [clinicId],
    );
    const times = r.rows[0];
    return {
      configured: true,
      transport: conn.connection.transport,
      lastSendAt: times?.sent ? new Date(times.sent).toISOString() : null,
      lastFileAt: times?.received ? new Date(times.received).toISOString() : null,
      lastPollAt: await lastPollOf(tx, clinicId),
    };
  });
}
