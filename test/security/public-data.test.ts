/**
 * What anyone can read without signing in reveals no signer's identity beyond what the law
 * publishes (the name on the signer list, where the community publishes names): no sub (the
 * identity provider's stable id of a person), no birth date — neither in bodies nor in the opaque
 * pagination cursors, which are only base64url JSON and so readable by anyone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

let api: TestSystem;

beforeAll(async () => {
  api = await startTestSystem();
});
afterAll(async () => {
  await api?.stop();
});

/** A cursor as anyone can read it. */
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

describe('public reads', () => {
  it('reveal no signer sub or birth date, in bodies or cursors', async () => {
    const petition = await openPetition(api);
    const signers = Array.from({ length: 5 }, (_, i) => ({ sub: `bankid-${randomUUID()}`, name: `Підписант ${i}`, birthdate: `198${i}-0${i + 1}-1${i}` }));
    for (const signer of signers) {
      const response = await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: await api.token(signer) });
      expect(response.status).toBe(201);
    }
    await api.waitForStreams(20_000);

    const seen: { what: string; text: string }[] = [];
    for (const path of [`/v1/petitions/${petition.id}`, '/v1/petitions?sort=most-signed', `/v1/petitions/${petition.id}/export`, `/v1/petitions/${petition.id}/export?format=csv`]) {
      const response = await api.request('GET', path);
      expect(response.status, path).toBe(200);
      seen.push({ what: path, text: response.text });
    }
    // The signer list, one per page, so every page has a cursor to read.
    let cursor: string | null = null;
    const names: string[] = [];
    for (let page = 0; page < 20; page++) {
      const path = `/v1/petitions/${petition.id}/signers?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const response: { status: number; text: string; body: { items: { name: string }[]; nextCursor: string | null } } = await api.request('GET', path);
      expect(response.status, path).toBe(200);
      names.push(...response.body.items.map((item) => item.name));
      seen.push({ what: `signers page ${page}`, text: response.text });
      cursor = response.body.nextCursor;
      if (!cursor) break;
      seen.push({ what: `signers page ${page} cursor, decoded`, text: decodeCursor(cursor) });
    }
    expect(names.sort()).toEqual(signers.map((s) => s.name).sort());

    const leaks = seen.flatMap(({ what, text }) =>
      signers.flatMap((signer) => [
        ...(text.includes(signer.sub) ? [`${what} holds the sub of ${signer.name}: ${text.slice(0, 200)}`] : []),
        ...(text.includes(signer.birthdate) ? [`${what} holds the birth date of ${signer.name}`] : []),
      ]));
    expect(leaks).toEqual([]);
  });
});
