/**
 * Why the domain says no, in its own words: never an HTTP status (shared/http/problem.ts
 * `problemFromRefusal` is the one place a refusal becomes one).
 *
 * - `not-allowed`: this person may not do this (not a resident, too young, not the author, the
 *   wrong role or school);
 * - `wrong-state`: the thing is not in a state that allows it now (not open yet, closed, hidden,
 *   already decided, the wrong phase, an imported budget);
 * - `invalid`: what was asked breaks a rule about the input (dates, amounts, a missing field).
 */
export type RefusalKind = 'not-allowed' | 'wrong-state' | 'invalid';

/**
 * A decision the domain refuses: its kind, a stable code (the problem type a client and the
 * Ukrainian catalogue key on) and a message for people.
 */
export interface Refusal<Code extends string = string> {
  readonly kind: RefusalKind;
  readonly code: Code;
  readonly message: string;
}

/** A refusal on its own: what a `check…` function returns (undefined when it lets the person through). */
export const refusal = <Code extends string>(kind: RefusalKind, code: Code, message: string): Refusal<Code> => ({ kind, code, message });

/** The `ok: false` outcome of a decision. One helper for every area. */
export const refuse = (kind: RefusalKind, code: string, message: string) => ({ ok: false as const, kind, code, message });

export type Refused = ReturnType<typeof refuse>;

/** A decision: the new value, or why not. */
export type Decision<T> = { ok: true; value: T } | Refused;
