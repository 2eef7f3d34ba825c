/**
 * An instant kept as epoch ms, written as ISO 8601 for the API and pages. PostgreSQL's bigint
 * columns may arrive as strings; null (not yet, never) stays null.
 */
export function iso(ms: number | string): string;
export function iso(ms: number | string | null): string | null;
export function iso(ms: number | string | null): string | null {
  return ms === null ? null : new Date(Number(ms)).toISOString();
}
