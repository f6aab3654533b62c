/**
 * What the data layer reports when it cannot do what was asked, in its own words: no HTTP status
 * here. shared/http maps each kind to a status once (`problemFromStoreError` in
 * shared/http/problem.ts), and code outside HTTP (stream consumers, tools) can tell the kinds apart.
 */
export type StoreErrorKind =
  /** The request names something the store cannot read (a forged cursor, no community given). */
  | 'invalid-request'
  /**
   * What the request is about may not be used (a community this deployment does not serve), or a
   * credential it presents is not one the store holds (a voting code not issued for this budget).
   */
  | 'not-allowed'
  | 'not-found'
  /** The write's condition failed: the state is not what the request expected. */
  | 'conflict'
  /** A per-person limit enforced by the store (petitions or budget projects a day). */
  | 'limit-reached'
  /** Not now: too much contention, or a key the store needs is missing (retry later). */
  | 'unavailable';

export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly kind: StoreErrorKind,
    /** Stable machine-readable code, e.g. `unknown-community` (it becomes the problem's type). */
    readonly code: string,
    message: string,
    readonly details: { readonly retryAfterSeconds?: number; readonly extensions?: Record<string, unknown> } = {},
  ) {
    super(message);
  }
}
