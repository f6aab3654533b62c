/**
 * Crockford's base32: no I, L, O or U, so codes and receipts read and type without ambiguity.
 * A module of its own, free of node:crypto, because the web app bundles the code check (codes.ts).
 */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
