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

/**
 * Runs `write` until it succeeds (true: written, or nothing left to write); false is a conflict
 * (someone wrote meanwhile), tried again after a jittered pause that grows by 50 ms a round, at
 * most `attempts` times; then throws `<what> write kept conflicting`. For read-change-write rounds
 * on a conditionally written object (a search index, an open-data snapshot).
 */
export async function retryOnConflict(what: string, write: () => Promise<boolean>, attempts = 8): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await write()) return;
    if (attempt >= attempts) throw new Error(`${what} write kept conflicting`);
    await pause(Math.random() * 50 * attempt);
  }
}
