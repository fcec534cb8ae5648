import pg from 'pg';

/**
 * When central's database was last backed up with `tessera-central backup`, kept in central_meta so that
 * every central process can report its age (`tessera_central_last_backup_timestamp_seconds`) and the
 * "backup too old" alert fires on any of them. Written with the owner's connection, after pg_dump succeeded.
 */
export async function recordBackup(ownerUrl: string, at = new Date()): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO tessera.central_meta (key, value) VALUES ('last_backup_at', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [at.toISOString()],
    );
  } finally {
    await client.end();
  }
}
