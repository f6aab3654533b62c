/**
 * One-time voting codes for school budgets (students have no accounts). A code is printed on a
 * slip, with a QR payload for phones, handed to a student, and casts one ballot on the budget it
 * was issued for, once.
 *
 * Format: 16 symbols of Crockford's base32 in groups of four, `7K3M-ZQ1T-9XW2-D4FA`: 15 random
 * symbols (75 bits from a cryptographic source, far beyond guessing at any request rate) and one
 * Luhn mod 32 check symbol, so a mistyped symbol (or two swapped neighbours, mostly) is told apart
 * from a wrong code before any lookup. Only a hash of the code is stored.
 */
import { createHash } from 'node:crypto';
import { CROCKFORD_ALPHABET } from './crockford.ts';

export const CODE_RANDOM_SYMBOLS = 15;
export const CODE_LENGTH = CODE_RANDOM_SYMBOLS + 1;
/** Entropy of a code, in bits. */
export const CODE_BITS = CODE_RANDOM_SYMBOLS * 5;

const valueOf = new Map([...CROCKFORD_ALPHABET].map((ch, i) => [ch, i]));

/** Luhn mod N over base32 symbol values (the check symbol is appended on the right). */
function luhnSum(values: readonly number[], firstFactor: 1 | 2): number {
  let factor = firstFactor;
  let sum = 0;
  for (let i = values.length - 1; i >= 0; i--) {
    const addend = factor * values[i]!;
    sum += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return sum % 32;
}

export function checkSymbol(values: readonly number[]): number {
  return (32 - luhnSum(values, 2)) % 32;
}

/** A new code from `randomBytes` (crypto.randomBytes in production; injected so that tests can fix it). */
export function generateCode(randomBytes: (size: number) => Uint8Array): string {
  const bytes = randomBytes(CODE_RANDOM_SYMBOLS);
  // 32 divides 256: the low five bits of a uniform byte are uniform.
  const values = Array.from(bytes.subarray(0, CODE_RANDOM_SYMBOLS), (b) => b & 31);
  if (values.length !== CODE_RANDOM_SYMBOLS) throw new Error('not enough random bytes');
  values.push(checkSymbol(values));
  return formatCode(values.map((v) => CROCKFORD_ALPHABET[v]).join(''));
}

/** `XXXX-XXXX-XXXX-XXXX`. */
export function formatCode(symbols: string): string {
  return symbols.match(/.{1,4}/g)!.join('-');
}

export type CodeCheck = { ok: true; code: string } | { ok: false; code: 'code-malformed' | 'code-mistyped'; message: string };

/**
 * Reads a code as a person typed it: any case, with or without spaces or dashes, O read as 0 and
 * I or L as 1 (Crockford). Returns the canonical 16 symbols, or why it cannot be a code.
 */
export function readCode(typed: string): CodeCheck {
  const symbols = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (symbols.length !== CODE_LENGTH || ![...symbols].every((ch) => valueOf.has(ch))) {
    return { ok: false, code: 'code-malformed', message: `A voting code is ${CODE_LENGTH} letters and digits, such as 7K3M-ZQ1T-9XW2-D4FA.` };
  }
  if (luhnSum([...symbols].map((ch) => valueOf.get(ch)!), 1) !== 0) {
    return { ok: false, code: 'code-mistyped', message: 'This code has a typing mistake: check each character against the slip.' };
  }
  return { ok: true, code: symbols };
}

/** What is stored instead of the code: sha256 of its canonical form, hex. */
export function codeHash(canonical: string): string {
  return createHash('sha256').update(`hromada:school-code:${canonical}`, 'utf8').digest('hex');
}

/** The text to put in the slip's QR code: the voting page with the budget and the code. */
export function qrPayload(baseUrl: string, budgetId: string, code: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('budget', budgetId);
  url.searchParams.set('code', code);
  return url.toString();
}
