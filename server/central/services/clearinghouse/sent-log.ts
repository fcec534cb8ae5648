/**
 * The HTTPS clearinghouse adapter's sent log, kept in central's database (`clearinghouse_sent`, per clinic):
 * which file names were handed to the API, with their SHA-256 and the API's answer. Each record commits in
 * its own transaction as soon as the API took the file, independently of the transmission row's
 * transaction that is still open around the upload (transmit.ts): if that one never commits (the node dies,
 * the batch row cannot be updated), the next attempt, on any node and after a restart, finds the name here
 * and answers `already_uploaded` instead of submitting the claims a second time.
 */
import type { CentralDb } from '../../db/pool';
import type { SentLog } from './https';

export function databaseSentLog(db: CentralDb, clinicId: string): SentLog {
  return {
    async get(name) {
      const r = await db.tx(
        { clinicId },
        (tx) => tx.query<{ sha256: string }>('SELECT sha256 FROM clearinghouse_sent WHERE clinic_id = $1 AND file_name = $2', [clinicId, name]),
        { readOnly: true },
      );
      return r.rows[0]?.sha256 ?? null;
    },
    async record(name, sha256, answer) {
      // DO NOTHING: the first record of a name stands (the adapter refuses other bytes under a sent name).
      await db.tx({ clinicId }, (tx) =>
        tx.query(
          `INSERT INTO clearinghouse_sent (clinic_id, file_name, sha256, answer) VALUES ($1, $2, $3, $4)
           ON CONFLICT (clinic_id, file_name) DO NOTHING`,
          [clinicId, name, sha256, answer],
        ),
      );
    },
  };
}
