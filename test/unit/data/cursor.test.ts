import { afterEach, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '#shared/data/cursor.ts';
import { StoreError } from '#shared/data/store-error.ts';
import { problemFromStoreError } from '#shared/http/problem.ts';

const original = process.env.HROMADA_SECRETS;
const secret = (c: string) => c.repeat(40);
const ring = (current: string, keys: Record<string, string>) => JSON.stringify({ current, ...keys });
afterEach(() => {
  process.env.HROMADA_SECRETS = original;
});

async function refused(scope: string, cursor: string): Promise<StoreError> {
  const error = await decodeCursor(scope, cursor).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe('authenticated cursors', () => {
  it('round-trip within their listing only; any change of value, tag or listing is a 400', async () => {
    process.env.HROMADA_SECRETS = ring('a', { a: secret('a') });
    const value = { gsi1pk: 'C#ternopil#PETITIONS#open', gsi1sk: '2026-01-01T00:00:00.000Z#x', pk: 'PETITION#x', sk: 'PETITION' };
    const cursor = (await encodeCursor('query:gsi1:C#ternopil#PETITIONS#open', value))!;
    expect(await decodeCursor('query:gsi1:C#ternopil#PETITIONS#open', cursor)).toEqual(value);
    expect(await encodeCursor('x', undefined)).toBeNull();

    const [payload, keyId, mac] = cursor.split('.') as [string, string, string];
    const problem = problemFromStoreError(await refused('query:gsi3:C#ternopil#PETITIONS#open', cursor));
    expect(problem.status).toBe(400);
    expect(problem.toBody().type).toContain('invalid-cursor');
    await refused('query:gsi1:C#lviv#PETITIONS#open', cursor);
    const changed = Buffer.from(JSON.stringify({ ...value, gsi1sk: 'z' })).toString('base64url');
    for (const forged of [`${changed}.${keyId}.${mac}`, `${payload}.${keyId}.${mac.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`, `${payload}.b.${mac}`, payload, `${payload}.${keyId}`, '', '...']) {
      expect(await refused('query:gsi1:C#ternopil#PETITIONS#open', forged)).toMatchObject({ kind: 'invalid-request', code: 'invalid-cursor' });
    }
  });

  it('a key rotation keeps cursors made with the previous key valid while it stays in the ring', async () => {
    process.env.HROMADA_SECRETS = ring('a', { a: secret('a') });
    const old = (await encodeCursor('s', [1, 2]))!;
    process.env.HROMADA_SECRETS = ring('b', { a: secret('a'), b: secret('b') });
    expect(await decodeCursor('s', old)).toEqual([1, 2]);
    const fresh = (await encodeCursor('s', [3]))!;
    expect(fresh.split('.')[1]).toBe('b');
    process.env.HROMADA_SECRETS = ring('b', { b: secret('b') });
    expect(await decodeCursor('s', fresh)).toEqual([3]);
    await refused('s', old);
  });
});
