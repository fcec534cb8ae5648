import pg from 'pg';

/**
 * A new epoch after central is restored from a backup: workstations see the change on their next request,
 * re-send every change the backup lacks (they keep sent changes for that) and fetch everything again.
 */
export async function rotateEpoch(ownerUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const r = await client.query<{ value: string }>(
      `UPDATE tessera.central_meta SET value = gen_random_uuid()::text WHERE key = 'epoch' RETURNING value`,
    );
    return r.rows[0]!.value;
  } finally {
    await client.end();
  }
}
