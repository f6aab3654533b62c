/**
 * The parts of keys that more than one module reads: the data layer's key builders write them, the
 * stream consumers' filters (shared/streams/consumers.ts) select records by them, and the
 * consumers recognise records by them. One home, so none can drift from the others
 * (test/local/consumer-filters.test.ts checks every filter against every key builder).
 */
export const keyPrefix = {
  petition: 'PETITION#',
  signature: 'SIG#',
  countHistory: 'COUNT#',
  alert: 'ALERT#',
  community: 'COMMUNITY#',
  budget: 'BUDGET#',
  project: 'PROJECT#',
  notification: 'NOTIFY#',
  outbox: 'TO#',
} as const;

/** Sort keys of the one item of its kind in a partition. */
export const itemSortKey = {
  petition: 'PETITION',
  /**
   * A petition's signature count, thresholds and "most signed" ranking entry: a small item of its own
   * (in the petition's partition), so a count write never rewrites the petition or its listings. It
   * sorts right after the petition's own item (nothing else in the partition sorts between them), so
   * one Query reads both.
   */
  petitionCount: 'PETITION#COUNT',
  /** A petition's closing, recorded once by the close-petitions schedule (in the petition's partition). */
  petitionClosed: 'CLOSED',
  consultation: 'CONSULTATION',
  budget: 'BUDGET',
  /** A budget's published results (in the budget's partition). */
  results: 'RESULTS',
  communityConfig: 'CONFIG',
  notificationJob: 'JOB',
} as const;
