/** Dates as the report filters take them (YYYY-MM-DD). */
export const isDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d);
export const monthStart = (d: string) => `${d.slice(0, 8)}01`;
