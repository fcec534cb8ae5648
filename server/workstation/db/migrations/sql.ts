/**
 * SQL fragments the migrations share. `oneOf` writes a CHECK list from a contract's value list, so the
 * allowed values of a column are defined once (in server/contracts) and the database, the drizzle schema
 * and the API agree. A shipped migration must still never change (tests/integration/storage/schema-drift
 * pins their text): when a contract's list changes, add a migration that rebuilds the table.
 */
export function oneOf(values: readonly string[]): string {
  for (const v of values) {
    if (!/^[a-z0-9_]+$/.test(v)) throw new Error(`Not a storable enum value: ${JSON.stringify(v)}`);
  }
  return values.map((v) => `'${v}'`).join(', ');
}
