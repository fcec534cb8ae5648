import type { Tx } from '../../db/pool';

/**
 * A clinic setting as the workstations replicated it (`clinic_settings` row `<clinicId>:<key>`, the value
 * JSON text), parsed; null when the clinic has not set it or the value is unreadable.
 */
export async function clinicSettingValue(tx: Tx, clinicId: string, key: string): Promise<unknown> {
  const r = await tx.query<{ value: string | null }>(
    `SELECT data->>'value' AS value FROM replica_rows
      WHERE clinic_id = $1 AND table_name = 'clinic_settings' AND row_id = $2
        AND coalesce(data->>'deletedAt', '') = ''`,
    [clinicId, `${clinicId}:${key}`],
  );
  try {
    return r.rows[0]?.value ? (JSON.parse(r.rows[0].value) as unknown) : null;
  } catch {
    return null;
  }
}
