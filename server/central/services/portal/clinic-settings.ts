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
  return parseSetting(r.rows[0]?.value ?? null);
}

/** A setting's stored JSON value, or null when there is none or it does not parse. */
export function parseSetting(value: string | null): unknown {
  try {
    return value ? (JSON.parse(value) as unknown) : null;
  } catch {
    return null;
  }
}
