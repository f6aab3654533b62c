import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CODE_BITS, CODE_LENGTH, codeHash, generateCode, qrPayload, readCode } from '#shared/domain/budget-process/codes.ts';
import { CROCKFORD_ALPHABET } from '#shared/domain/budget-process/crockford.ts';

describe('school voting codes', () => {
  it('are at least 60 bits from a crypto source, in a typable alphabet, XXXX-XXXX-XXXX-XXXX', () => {
    expect(CODE_BITS).toBeGreaterThanOrEqual(60);
    const codes = Array.from({ length: 5000 }, () => generateCode(randomBytes));
    for (const code of codes.slice(0, 100)) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(readCode(code)).toEqual({ ok: true, code: code.replaceAll('-', '') });
    }
    expect(new Set(codes).size).toBe(codes.length);
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('use every symbol about equally (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) for (const ch of generateCode(randomBytes).replaceAll('-', '').slice(0, 15)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(Math.abs(n - 60_000 / 32)).toBeLessThan(300);
  });

  it('read as people type them: any case, spaces, O for 0, I and L for 1', () => {
    const fixed = generateCode(() => new Uint8Array([0, 1, 24, 21, 18, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    expect(fixed.startsWith('01RN-J345')).toBe(true);
    const canonical = fixed.replaceAll('-', '');
    expect(readCode(` ${fixed.toLowerCase().replace('0', 'o').replace('1', 'l')} `)).toEqual({ ok: true, code: canonical });
    expect(readCode(canonical.replace('1', 'I'))).toEqual({ ok: true, code: canonical });
  });

  it('tell a typing mistake from a wrong code: every single substitution is caught by the check symbol', () => {
    const code = generateCode(randomBytes).replaceAll('-', '');
    for (let i = 0; i < CODE_LENGTH; i++) {
      for (const ch of CROCKFORD_ALPHABET) {
        if (ch === code[i]) continue;
        const typo = code.slice(0, i) + ch + code.slice(i + 1);
        expect(readCode(typo)).toMatchObject({ ok: false, code: 'code-mistyped' });
      }
    }
    expect(readCode('ABC')).toMatchObject({ ok: false, code: 'code-malformed' });
    expect(readCode(code.slice(0, 15) + 'U')).toMatchObject({ ok: false, code: 'code-malformed' });
  });

  it('are stored as a sha256 that reveals nothing of the code; the QR payload carries budget and code', () => {
    const code = generateCode(randomBytes).replaceAll('-', '');
    const hash = codeHash(code);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(codeHash(code));
    expect(hash).not.toContain(code.toLowerCase());
    const qr = new URL(qrPayload('https://vote.ternopil.example/school', 'b-1', 'ABCD-EFGH'));
    expect(qr.searchParams.get('budget')).toBe('b-1');
    expect(qr.searchParams.get('code')).toBe('ABCD-EFGH');
    expect(qrPayload('hromada-vote:', 'b-1', 'X')).toBe('hromada-vote:?budget=b-1&code=X');
  });
});
