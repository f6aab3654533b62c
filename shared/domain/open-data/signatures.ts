/**
 * The signatures-per-day dataset, pure: from a petition's hourly cumulative counts, one row per
 * UTC day on which the count changed. Stable columns (README); no titles, so nothing a rejection
 * withholds can appear here.
 */
export const signaturesPerDayColumns = ['petition_id', 'date', 'signatures', 'cumulative_signatures'] as const;

export type SignaturesPerDayRow = Record<(typeof signaturesPerDayColumns)[number], string | number>;

/** `hours` are `YYYY-MM-DDTHH` with the cumulative count at that hour, in any order. */
export function signaturesPerDay(petitionId: string, hours: readonly { hour: string; signatureCount: number }[]): SignaturesPerDayRow[] {
  const lastPerDay = new Map<string, number>();
  for (const h of [...hours].sort((a, b) => a.hour.localeCompare(b.hour))) lastPerDay.set(h.hour.slice(0, 10), h.signatureCount);
  const rows: SignaturesPerDayRow[] = [];
  let previous = 0;
  for (const [date, cumulative] of lastPerDay) {
    rows.push({ petition_id: petitionId, date, signatures: cumulative - previous, cumulative_signatures: cumulative });
    previous = cumulative;
  }
  return rows;
}
