import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** A replicated table: every row names its clinic and is deleted by tombstone. */
export interface TenantTable {
  clinicId: SQLiteColumn;
  deletedAt: SQLiteColumn;
}

/**
 * The condition every read of a replicated table starts from: the row belongs to this clinic and is not
 * a tombstone. One definition, so no query forgets half of it.
 */
export function liveRow(table: TenantTable, clinicId: string): SQL {
  return and(eq(table.clinicId, clinicId), isNull(table.deletedAt))!;
}
