/**
 * The one pause of every retry loop (optimistic-concurrency rounds, settling reads, index writes):
 * full-jitter exponential backoff, as AWS's architecture guidance describes it.
 */

/** Waits `ms` milliseconds (none when `ms` ≤ 0). */
export const pause = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

/** A random delay in [0, min(capMs, baseMs·2^attempt)): full jitter. */
export const backoffDelay = (attempt: number, capMs: number, baseMs = 5): number => Math.random() * Math.min(capMs, baseMs * 2 ** attempt);

/** Waits the full-jitter backoff of retry `attempt` (1-based). */
export const backoff = (attempt: number, capMs: number, baseMs = 5): Promise<void> => pause(backoffDelay(attempt, capMs, baseMs));
