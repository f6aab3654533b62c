import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null | undefined;

/**
 * The one CSV writer of the API (RFC 4180 via csv-stringify): a header row, then the rows; fields
 * quoted when needed; null/undefined as empty fields; and the formula guard: a text field that
 * begins with `=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width forms) is prefixed
 * with `'`, so a spreadsheet never runs a title as a formula. Numbers (a negative count) are not.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify([[...header], ...rows.map((row) => row.map((cell) => cell ?? null))], {
    escape_formulas: true,
    record_delimiter: '\n',
    cast: { number: (n) => String(n) },
  });
}

/** An HttpResult for a CSV download. */
export function csvResult(csv: string, filename: string, cacheSeconds?: number) {
  return {
    status: 200,
    text: csv,
    contentType: 'text/csv; charset=utf-8',
    headers: { 'content-disposition': `attachment; filename="${filename}"` },
    ...(cacheSeconds !== undefined ? { cacheSeconds } : {}),
  };
}
