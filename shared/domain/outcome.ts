/**
 * A decision the domain refuses: a stable code (the problem type the HTTP layer maps it to) and a
 * message for people. One helper for every area's `ok: false` outcome.
 */
export const refuse = (code: string, message: string) => ({ ok: false as const, code, message });

export type Refused = ReturnType<typeof refuse>;
