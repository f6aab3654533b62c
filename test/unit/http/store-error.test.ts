import { describe, expect, it } from 'vitest';
import { StoreError } from '#shared/data/store-error.ts';
import { problemFromStoreError } from '#shared/http/problem.ts';

describe('data-layer outcomes become HTTP problems in one place', () => {
  it('maps each kind to its status, keeping the code as the problem type and the message as the detail', () => {
    const cases: [StoreError, number][] = [
      [new StoreError('invalid-request', 'invalid-cursor', 'The cursor is not one this listing issued.'), 400],
      [new StoreError('not-allowed', 'unknown-community', 'Not served.'), 403],
      [new StoreError('not-found', 'not-found', 'No such thing.'), 404],
      [new StoreError('conflict', 'hidden', 'Hidden.', { extensions: { state: 'hidden' } }), 409],
      [new StoreError('limit-reached', 'rate-limited', 'Too many.', { retryAfterSeconds: 3600 }), 429],
    ];
    for (const [error, status] of cases) {
      const problem = problemFromStoreError(error);
      expect(problem.status).toBe(status);
      expect(problem.code).toBe(error.code);
      expect(problem.message).toBe(error.message);
    }
    expect(problemFromStoreError(cases[4]![0]).headers).toEqual({ 'retry-after': '3600' });
    expect(problemFromStoreError(cases[3]![0]).extensions).toEqual({ state: 'hidden' });
  });
});

describe('a store that cannot answer now', () => {
  it('is a 503 with a short Retry-After unless the store names one', () => {
    expect(problemFromStoreError(new StoreError('unavailable', 'unavailable', 'Busy.'))).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    expect(problemFromStoreError(new StoreError('unavailable', 'unavailable', 'Busy.', { retryAfterSeconds: 30 })).headers).toEqual({ 'retry-after': '30' });
  });
});
