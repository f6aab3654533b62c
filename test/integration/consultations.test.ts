import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { consultationKeys, responderKey } from '#shared/data/consultations.ts';
import { ternopil, ukStyle, type CommunityConfig } from '#shared/domain/community.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

/** Ternopil's rules with tight daily limits on comments and proposals. */
const strict: CommunityConfig = { ...ternopil, id: 'strict-limits', consultations: { maxCommentsPerPersonPerDay: 2, maxProposalsPerPersonPerDay: 1 } };

let api: TestSystem;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  api = await startTestSystem({ communities: [ternopil, ukStyle, strict] });
  db = createDocumentClient(api.dynamoEndpoint);
});
afterAll(async () => {
  await api?.stop();
  db.destroy();
});

const hour = 3_600_000;
const questions = [
  { id: 'support', type: 'single', text: 'Do you support the draft?', options: [{ id: 'yes', text: 'Так' }, { id: 'no', text: 'Ні' }] },
  {
    id: 'features', type: 'multiple', text: 'What should the park have?', maxChoices: 2,
    options: [{ id: 'benches', text: 'Лавки' }, { id: 'lights', text: 'Ліхтарі' }, { id: 'trees', text: 'Дерева' }],
  },
  { id: 'priority', type: 'ranked', text: 'Rank the priorities', options: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }, { id: 'c', text: 'C' }] },
  { id: 'ideas', type: 'open', text: 'Anything else?', required: false },
];

async function publishConsultation(overrides: Record<string, unknown> = {}, community = 'ternopil') {
  const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'], community });
  const created = await api.request('POST', '/v1/consultations', {
    token: council,
    body: {
      title: 'Реконструкція парку Шевченка',
      draftText: 'Проєкт рішення про реконструкцію парку імені Тараса Шевченка.',
      documents: [{ title: 'Проєкт рішення', url: 'https://rada.te.ua/draft.pdf' }],
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + 24 * hour).toISOString(),
      questions,
      ...overrides,
    },
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
  return { id: created.body.id as string, council, body: created.body };
}

/** Moves the close into the past, beyond the minute after which results are final. */
async function close(id: string) {
  await db.send(new UpdateCommand({
    TableName: api.tableName, Key: consultationKeys.consultation(id),
    UpdateExpression: 'SET closesAt = :past', ExpressionAttributeValues: { ':past': new Date(Date.now() - 2 * 60_000).toISOString() },
  }));
}

async function storedResponses(id: string) {
  const { Items } = await db.send(new QueryCommand({
    TableName: api.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': consultationKeys.responses(id) },
  }));
  return Items ?? [];
}

async function inBatches<T>(jobs: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  }));
  return results;
}

const answers = (support: string, features: string[], priority: string[], ideas?: string) => ({
  answers: [
    { questionId: 'support', optionIds: [support] },
    { questionId: 'features', optionIds: features },
    { questionId: 'priority', optionIds: priority },
    ...(ideas ? [{ questionId: 'ideas', text: ideas }] : []),
  ],
});

describe('publishing', () => {
  it('the council publishes a consultation in its community; anyone reads it; a poll has no draft', async () => {
    const { id, body } = await publishConsultation();
    expect(body).toMatchObject({ kind: 'consultation', community: 'ternopil', status: 'open', resultsVisibility: 'after-close', eligibility: { minAge: 0 } });
    expect(body.questions.map((q: { required: boolean }) => q.required)).toEqual([true, true, true, false]);
    expect(JSON.stringify(body)).not.toContain('council-');
    const read = await api.request('GET', `/v1/consultations/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.draftText).toContain('Шевченка');

    const poll = await publishConsultation({ draftText: undefined, title: 'Опитування про велодоріжки' });
    expect(poll.body).toMatchObject({ kind: 'poll', draftText: null });

    const list = await api.request('GET', '/v1/consultations?community=ternopil&limit=100');
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([id, poll.id]));
    expect(list.body.items[0]).not.toHaveProperty('questions');
    const elsewhere = await api.request('GET', '/v1/consultations?community=uk-style-demo');
    expect(elsewhere.body.items.map((c: { id: string }) => c.id)).not.toContain(id);
  });

  it('refuses: a citizen 403, an unknown field (district) 400, a definition breaking a rule 422 naming it', async () => {
    const citizen = await api.token({});
    const body = { title: 'Some poll title', opensAt: new Date().toISOString(), closesAt: new Date(Date.now() + hour).toISOString(), questions };
    expect((await api.request('POST', '/v1/consultations', { token: citizen, body })).status).toBe(403);
    const council = await api.token({ roles: ['council'] });
    const district = await api.request('POST', '/v1/consultations', { token: council, body: { ...body, eligibility: { minAge: 18, district: 'center' } } });
    expect(district.status).toBe(400);
    const tooMany = await api.request('POST', '/v1/consultations', { token: council, body: { ...body, questions: [{ ...questions[1], maxChoices: 5 }] } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.type).toContain('max-choices-above-options');
    expect((await api.request('POST', '/v1/consultations', { token: council, body: { ...body, closesAt: body.opensAt } })).status).toBe(422);
  });
});

describe('responding', () => {
  it('201 the first time, 200 on a change; the person reads back their own latest response, nobody else can', async () => {
    const { id } = await publishConsultation();
    const sub = `resident-${randomUUID()}`;
    const resident = await api.token({ sub });
    const first = await api.request('PUT', `/v1/consultations/${id}/response`, { token: resident, body: answers('yes', ['benches'], ['a', 'b', 'c']) });
    expect(first.status).toBe(201);
    const changed = await api.request('PUT', `/v1/consultations/${id}/response`, { token: resident, body: answers('no', ['trees', 'lights'], ['c'], 'Більше тіні') });
    expect(changed.status).toBe(200);
    expect(changed.body.submittedAt).toBe(first.body.submittedAt);

    const own = await api.request('GET', `/v1/consultations/${id}/response`, { token: resident });
    expect(own.status).toBe(200);
    expect(own.body.answers).toEqual(answers('no', ['trees', 'lights'], ['c'], 'Більше тіні').answers);
    expect((await api.request('GET', `/v1/consultations/${id}/response`, { token: await api.token({}) })).status).toBe(404);

    // Stored under a pseudonym: the item carries no trace of who answered.
    const stored = await storedResponses(id);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(sub);
  });

  it('200 residents at once, 50 change their answers and 20 send theirs twice at once: 200 participants, counts of the latest answers', async () => {
    const { id, council } = await publishConsultation({ resultsVisibility: 'live' });
    const supports = ['yes', 'no'];
    const featureSets = [['benches'], ['lights', 'trees'], ['benches', 'lights'], ['trees']];
    const rankings = [['a', 'b', 'c'], ['b', 'c', 'a'], ['c'], ['a', 'c']];
    const people = await Promise.all(Array.from({ length: 200 }, async (_, i) => ({
      token: await api.token({ sub: `crowd-${i}-${randomUUID()}` }),
      first: answers(supports[i % 2]!, featureSets[i % 4]!, rankings[i % 4]!),
      latest: i < 50 ? answers(supports[(i + 1) % 2]!, featureSets[(i + 1) % 4]!, rankings[(i + 3) % 4]!, `Idea ${i}`) : undefined,
      twice: i >= 50 && i < 70,
    })));

    const statuses = (await inBatches(people.map((p) => async () => {
      const put = (body: unknown) => api.request('PUT', `/v1/consultations/${id}/response`, { token: p.token, body });
      const first = p.twice ? await Promise.all([put(p.first), put(p.first)]) : [await put(p.first)];
      const change = p.latest ? [await put(p.latest)] : [];
      return [...first, ...change].map((r) => r.status);
    }), 40)).flat();
    expect(statuses.filter((s) => s === 201)).toHaveLength(200);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50 + 20);

    const latest = people.map((p) => (p.latest ?? p.first).answers);
    const expectedCount = (questionId: string, optionId: string, firstOnly = false) =>
      latest.filter((a) => {
        const chosen = a.find((x) => x.questionId === questionId)!.optionIds!;
        return firstOnly ? chosen[0] === optionId : chosen.includes(optionId);
      }).length;
    const borda = (optionId: string) => latest.reduce((sum, a) => {
      const ranked = a.find((x) => x.questionId === 'priority')!.optionIds!;
      const index = ranked.indexOf(optionId);
      return sum + (index === -1 ? 0 : 3 - 1 - index);
    }, 0);

    const results = await api.request('GET', `/v1/consultations/${id}/results`);
    expect(results.status).toBe(200);
    expect(results.body.participants).toBe(200);
    const byId = Object.fromEntries(results.body.questions.map((q: { id: string }) => [q.id, q]));
    const counts = (questionId: string) => Object.fromEntries(byId[questionId].options.map((o: { id: string; count: number }) => [o.id, o.count]));
    expect(counts('support')).toEqual({ yes: expectedCount('support', 'yes'), no: expectedCount('support', 'no') });
    expect(counts('support').yes + counts('support').no).toBe(200);
    expect(counts('features')).toEqual({ benches: expectedCount('features', 'benches'), lights: expectedCount('features', 'lights'), trees: expectedCount('features', 'trees') });
    expect(counts('priority')).toEqual({ a: expectedCount('priority', 'a', true), b: expectedCount('priority', 'b', true), c: expectedCount('priority', 'c', true) });
    expect(byId.priority.ranking.method).toBe('borda-count');
    expect(Object.fromEntries(byId.priority.ranking.order.map((o: { optionId: string; points: number }) => [o.optionId, o.points]))).toEqual({ a: borda('a'), b: borda('b'), c: borda('c') });
    expect(byId.ideas).toMatchObject({ answered: 50 });
    expect(byId.ideas).not.toHaveProperty('options');
    expect(await storedResponses(id)).toHaveLength(200);

    // The council reads the open answers, unlinked to anyone.
    const texts: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: string[]; nextCursor: string | null } } =
        await api.request('GET', `/v1/council/consultations/${id}/open-answers?questionId=ideas&limit=60${cursor ? `&cursor=${cursor}` : ''}`, { token: council });
      expect(page.status).toBe(200);
      texts.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(texts.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `Idea ${i}`).sort());
  }, 120_000);

  it('refuses before opening (409), after closing (409), another community (403), under age (403), an unknown option or too many choices (422): nothing stored', async () => {
    const sub = `refused-${randomUUID()}`;
    const valid = answers('yes', ['benches'], ['a']);
    const upcoming = await publishConsultation({ opensAt: new Date(Date.now() + hour).toISOString() });
    const closed = await publishConsultation();
    await close(closed.id);
    const open = await publishConsultation({ eligibility: { minAge: 18 } });
    const put = async (id: string, token: string, body: unknown) => api.request('PUT', `/v1/consultations/${id}/response`, { token, body });

    const resident = await api.token({ sub });
    const notYet = await put(upcoming.id, resident, valid);
    expect([notYet.status, notYet.body.type]).toEqual([409, expect.stringContaining('not-open-yet')]);
    const tooLate = await put(closed.id, resident, valid);
    expect([tooLate.status, tooLate.body.type]).toEqual([409, expect.stringContaining('closed')]);
    const outsider = await put(open.id, await api.token({ sub, community: 'uk-style-demo' }), valid);
    expect([outsider.status, outsider.body.type]).toEqual([403, expect.stringContaining('not-resident')]);
    const child = await put(open.id, await api.token({ sub, birthdate: '2012-06-01' }), valid);
    expect([child.status, child.body.type]).toEqual([403, expect.stringContaining('under-age')]);
    const unknownOption = await put(open.id, resident, answers('maybe', ['benches'], ['a']));
    expect(unknownOption.status).toBe(422);
    expect(unknownOption.body).toMatchObject({ type: expect.stringContaining('unknown-option'), questionId: 'support' });
    const tooMany = await put(open.id, resident, answers('yes', ['benches', 'lights', 'trees'], ['a']));
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toMatchObject({ type: expect.stringContaining('too-many-choices'), questionId: 'features', detail: expect.stringContaining('at most 2') });
    const missing = await put(open.id, resident, { answers: [{ questionId: 'support', optionIds: ['yes'] }] });
    expect([missing.status, missing.body.type]).toEqual([422, expect.stringContaining('answer-required')]);
    expect((await put(open.id, resident, { answers: [{ questionId: 'support', optionIds: 'yes' }] })).status).toBe(400);

    for (const id of [upcoming.id, closed.id, open.id]) {
      const { Item } = await db.send(new GetCommand({ TableName: api.tableName, Key: consultationKeys.response(id, await responderKey(db, id, sub)) }));
      expect(Item).toBeUndefined();
      expect(await storedResponses(id)).toHaveLength(0);
    }
  });
});

describe('results visibility', () => {
  it('after-close: hidden from the public while open, the council sees them at any time, only its own community’s', async () => {
    const { id, council } = await publishConsultation();
    await api.request('PUT', `/v1/consultations/${id}/response`, { token: await api.token({}), body: answers('yes', ['benches'], ['a']) });
    const publicRead = await api.request('GET', `/v1/consultations/${id}/results`);
    expect([publicRead.status, publicRead.body.type]).toEqual([403, expect.stringContaining('results-after-close')]);
    expect((await api.request('GET', `/v1/consultations/${id}/export?format=csv`)).status).toBe(403);
    const councilRead = await api.request('GET', `/v1/council/consultations/${id}/results`, { token: council });
    expect(councilRead.status).toBe(200);
    expect(councilRead.body).toMatchObject({ participants: 1, final: false });
    const otherCouncil = await api.token({ roles: ['council'], community: 'uk-style-demo' });
    expect((await api.request('GET', `/v1/council/consultations/${id}/results`, { token: otherCouncil })).status).toBe(404);
    expect((await api.request('GET', `/v1/council/consultations/${id}/results`, { token: await api.token({}) })).status).toBe(403);
  });
});

describe('comments and proposals', () => {
  it('comments are published at once; a moderator hides one with a reason (text withheld) and may publish it again', async () => {
    const { id } = await publishConsultation();
    const resident = await api.token({});
    const posted = await api.request('POST', `/v1/consultations/${id}/comments`, { token: resident, body: { text: 'Потрібно більше дерев біля фонтану.' } });
    expect(posted.status).toBe(201);
    const rude = await api.request('POST', `/v1/consultations/${id}/comments`, { token: resident, body: { text: 'Образливий коментар.' } });
    const moderator = await api.token({ roles: ['moderator'] });
    const outsider = await api.token({ roles: ['moderator'], community: 'uk-style-demo' });
    const hide = { decision: 'hide', reasonCode: 'offensive', explanation: 'Образа іншого мешканця.' };
    expect((await api.request('POST', `/v1/consultations/${id}/comments/${rude.body.id}/moderation`, { token: outsider, body: hide })).status).toBe(404);
    const hidden = await api.request('POST', `/v1/consultations/${id}/comments/${rude.body.id}/moderation`, { token: moderator, body: hide });
    expect(hidden.body).toMatchObject({ status: 'hidden', text: null, hidden: { reasonCode: 'offensive' } });
    expect((await api.request('POST', `/v1/consultations/${id}/comments/${rude.body.id}/moderation`, { token: moderator, body: hide })).status).toBe(409);

    const list = await api.request('GET', `/v1/consultations/${id}/comments`);
    expect(list.body.items.map((c: { id: string; status: string; text: string | null }) => [c.id, c.status, c.text])).toEqual([
      [posted.body.id, 'published', 'Потрібно більше дерев біля фонтану.'],
      [rude.body.id, 'hidden', null],
    ]);
    const again = await api.request('POST', `/v1/consultations/${id}/comments/${rude.body.id}/moderation`, { token: moderator, body: { decision: 'publish' } });
    expect(again.body).toMatchObject({ status: 'published', text: 'Образливий коментар.' });
  });

  it('one stance per person per proposal, changeable, counted exactly under concurrency; never on one’s own', async () => {
    const { id } = await publishConsultation();
    const authorToken = await api.token({});
    const proposal = await api.request('POST', `/v1/consultations/${id}/proposals`, {
      token: authorToken, body: { title: 'Велодоріжка вздовж ставу', text: 'Прокласти велодоріжку вздовж Тернопільського ставу.' },
    });
    expect(proposal.status).toBe(201);
    const other = await api.request('POST', `/v1/consultations/${id}/proposals`, {
      token: await api.token({}), body: { title: 'Фонтан у центрі парку', text: 'Відновити старий фонтан у центрі парку.' },
    });
    const stance = (pid: string, token: string, value: string) => api.request('PUT', `/v1/consultations/${id}/proposals/${pid}/stance`, { token, body: { stance: value } });

    expect((await stance(proposal.body.id, authorToken, 'support')).status).toBe(403);
    const tokens = await Promise.all(Array.from({ length: 30 }, () => api.token({})));
    const first = await Promise.all(tokens.map((token) => stance(proposal.body.id, token, 'support')));
    expect(first.map((r) => r.status)).toEqual(Array(30).fill(201));
    const changes = await Promise.all([
      ...tokens.slice(0, 5).map((token) => stance(proposal.body.id, token, 'oppose')),
      ...tokens.slice(5, 8).map((token) => api.request('DELETE', `/v1/consultations/${id}/proposals/${proposal.body.id}/stance`, { token })),
      stance(proposal.body.id, tokens[9]!, 'support'),
    ]);
    expect(changes.map((r) => r.status)).toEqual(Array(9).fill(200));
    await stance(other.body.id, tokens[0]!, 'support');

    const mostSupported = await api.request('GET', `/v1/consultations/${id}/proposals?sort=most-supported`);
    expect(mostSupported.body.items.map((p: { id: string; supportCount: number; opposeCount: number }) => [p.id, p.supportCount, p.opposeCount])).toEqual([
      [proposal.body.id, 22, 5],
      [other.body.id, 1, 0],
    ]);
    expect(JSON.stringify(mostSupported.body)).not.toMatch(/citizen-/);
  }, 60_000);

  it('limits comments and proposals per person a day, leaving nothing behind when refusing', async () => {
    const { id } = await publishConsultation({}, strict.id);
    const resident = await api.token({ community: strict.id });
    const comment = () => api.request('POST', `/v1/consultations/${id}/comments`, { token: resident, body: { text: 'Ще один коментар.' } });
    expect([(await comment()).status, (await comment()).status, (await comment()).status]).toEqual([201, 201, 429]);
    const propose = () => api.request('POST', `/v1/consultations/${id}/proposals`, { token: resident, body: { title: 'Ще одна пропозиція', text: 'Текст пропозиції достатньої довжини.' } });
    expect([(await propose()).status, (await propose()).status]).toEqual([201, 429]);
    expect((await api.request('GET', `/v1/consultations/${id}/comments`)).body.items).toHaveLength(2);
    expect((await api.request('GET', `/v1/consultations/${id}/proposals`)).body.items).toHaveLength(1);
    // Not a resident: refused like a response.
    const outsider = await api.request('POST', `/v1/consultations/${id}/comments`, { token: await api.token({}), body: { text: 'Я не звідси.' } });
    expect(outsider.status).toBe(403);
  });
});

describe('closing and the report', () => {
  it('the council answers proposals after closing, publishes the report once; results are frozen and exported', async () => {
    const { id, council } = await publishConsultation();
    const resident = await api.token({});
    await api.request('PUT', `/v1/consultations/${id}/response`, { token: resident, body: answers('yes', ['benches', 'trees'], ['b', 'a']) });
    await api.request('PUT', `/v1/consultations/${id}/response`, { token: await api.token({}), body: answers('no', ['trees'], ['a']) });
    const taken = await api.request('POST', `/v1/consultations/${id}/proposals`, { token: resident, body: { title: 'Дитячий майданчик', text: 'Облаштувати дитячий майданчик біля входу.' } });
    const declined = await api.request('POST', `/v1/consultations/${id}/proposals`, { token: resident, body: { title: 'Парковка в парку', text: 'Зробити велику парковку на місці газону.' } });
    await api.request('PUT', `/v1/consultations/${id}/proposals/${taken.body.id}/stance`, { token: await api.token({}), body: { stance: 'support' } });
    const answer = (pid: string, decision: string) => api.request('POST', `/v1/consultations/${id}/proposals/${pid}/response`, {
      token: council, body: { decision, text: 'Рішення ради щодо цієї пропозиції.' },
    });
    expect((await answer(taken.body.id, 'accepted')).status).toBe(409);
    const reportBody = { summary: 'Рада врахувала результати консультації та одну пропозицію.' };
    expect((await api.request('POST', `/v1/consultations/${id}/report`, { token: council, body: reportBody })).status).toBe(409);
    expect((await api.request('GET', `/v1/consultations/${id}/report`)).status).toBe(404);

    await close(id);
    expect((await api.request('PUT', `/v1/consultations/${id}/response`, { token: resident, body: answers('no', ['trees'], ['a']) })).status).toBe(409);
    expect((await answer(taken.body.id, 'accepted')).body.councilResponse).toMatchObject({ decision: 'accepted' });
    expect((await answer(declined.body.id, 'rejected')).status).toBe(200);
    const otherCouncil = await api.token({ roles: ['council'], community: 'uk-style-demo' });
    expect((await api.request('POST', `/v1/consultations/${id}/report`, { token: otherCouncil, body: reportBody })).status).toBe(404);

    const published = await api.request('POST', `/v1/consultations/${id}/report`, { token: council, body: reportBody });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ summary: reportBody.summary, results: { participants: 2, final: true } });
    expect(published.body.proposals.map((p: { id: string; supportCount: number; councilResponse: { decision: string } }) => [p.id, p.supportCount, p.councilResponse.decision])).toEqual([
      [taken.body.id, 1, 'accepted'],
      [declined.body.id, 0, 'rejected'],
    ]);
    expect((await api.request('POST', `/v1/consultations/${id}/report`, { token: council, body: reportBody })).status).toBe(409);
    expect((await answer(declined.body.id, 'partially-accepted')).status).toBe(409);
    const report = await api.request('GET', `/v1/consultations/${id}/report`);
    expect(report.status).toBe(200);
    expect(report.body.results).toEqual(published.body.results);
    expect(report.body.consultation.reportPublishedAt).toBe(report.body.publishedAt);

    // Frozen: a response slipped into the table afterwards changes nothing.
    const frozen = await db.send(new GetCommand({ TableName: api.tableName, Key: consultationKeys.frozenResults(id) }));
    expect(frozen.Item?.results.participants).toBe(2);
    await db.send(new PutCommand({
      TableName: api.tableName,
      Item: { ...consultationKeys.response(id, 'late'), type: 'consultation-response', consultationId: id, answers: answers('no', ['trees'], ['c']).answers },
    }));
    const results = await api.request('GET', `/v1/consultations/${id}/results`);
    expect(results.status).toBe(200);
    expect(results.body).toEqual(published.body.results);
    expect(results.headers.get('cache-control')).toContain('max-age=300');

    const json = await api.request('GET', `/v1/consultations/${id}/export`);
    expect(json.body).toMatchObject({ consultation: { id, status: 'closed' }, results: { participants: 2 } });
    const csv = await api.request('GET', `/v1/consultations/${id}/export?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toBe('consultation_id,participants,question_id,question_type,question_text,answered,option_id,option_text,count,borda_points,borda_position');
    expect(lines).toContain(`${id},2,support,single,Do you support the draft?,2,yes,Так,1,,`);
    expect(lines).toContain(`${id},2,priority,ranked,Rank the priorities,2,a,A,1,3,1`);
  }, 60_000);
});

describe('data model', () => {
  it('keeps each person’s identity out of responses and stances', async () => {
    const { id } = await publishConsultation();
    const sub = `private-${randomUUID()}`;
    const token = await api.token({ sub });
    await api.request('PUT', `/v1/consultations/${id}/response`, { token, body: answers('yes', ['lights'], ['c']) });
    const proposal = await api.request('POST', `/v1/consultations/${id}/proposals`, { token: await api.token({}), body: { title: 'Тиха зона для читання', text: 'Облаштувати тиху зону з лавками для читання.' } });
    await api.request('PUT', `/v1/consultations/${id}/proposals/${proposal.body.id}/stance`, { token, body: { stance: 'oppose' } });
    const { Items } = await db.send(new ScanCommand({
      TableName: api.tableName, FilterExpression: '#t IN (:response, :stance)', ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':response': 'consultation-response', ':stance': 'proposal-stance' },
    }));
    expect(Items!.length).toBeGreaterThan(0);
    expect(JSON.stringify(Items)).not.toContain(sub);
  });
});
