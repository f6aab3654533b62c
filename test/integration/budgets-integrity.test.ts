/**
 * Issue 14, items 1, 2, 10 (minAge, greedy) and 11, at the HTTP level against DynamoDB Local:
 * school staff bound to their school and codes capped at the number of students; paper ballots
 * only during voting and the paper-count window, one per person identified at the centre, with
 * the same keyed voter marker as online; results public only once published; the legal minimum
 * age; no zero-vote winners; voter markers and person keys keyed with the key ring, stable across
 * a rotation.
 */
import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { budgetKeys } from '#shared/data/budgets.ts';
import { consultationKeys } from '#shared/data/consultations.ts';
import { ternopil, ukStyle } from '#shared/domain/community.ts';
import { BALLOT_SHARDS, voterKey } from '#shared/domain/budget-process/secrecy.ts';
import { generateKeyRingJson, keyedHash, parseKeyRing } from '#shared/secrets/key-ring.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let api: TestSystem;
let db: DynamoDBDocumentClient;
const originalRing = process.env.HROMADA_SECRETS!;

beforeAll(async () => {
  api = await startTestSystem({ communities: [ternopil, ukStyle] });
  db = createDocumentClient(api.dynamoEndpoint);
});
afterAll(async () => {
  process.env.HROMADA_SECRETS = originalRing;
  await api?.stop();
  db.destroy();
});

const DAY = 86_400_000;
const MINUTE = 60_000;
const at = (offset: number) => new Date(Date.now() + offset).toISOString();
const nationalId = () => String(Math.floor(1e9 + Math.random() * 9e9));

type Schedule = { submission: string; preSupport: string | null; review: string; voting: string; results: string; implementation: string; paperCountEnds?: string | null };
const schedules = {
  submission: (): Schedule => ({ submission: at(-MINUTE), preSupport: null, review: at(DAY), voting: at(2 * DAY), results: at(3 * DAY), implementation: at(4 * DAY) }),
  review: (): Schedule => ({ submission: at(-2 * DAY), preSupport: null, review: at(-MINUTE), voting: at(DAY), results: at(2 * DAY), implementation: at(3 * DAY) }),
  voting: (): Schedule => ({ submission: at(-3 * DAY), preSupport: null, review: at(-2 * DAY), voting: at(-MINUTE), results: at(DAY), implementation: at(3 * DAY) }),
  /** Voting closed 5 minutes ago (ballots settled). */
  closed: (): Schedule => ({ submission: at(-4 * DAY), preSupport: null, review: at(-3 * DAY), voting: at(-2 * DAY), results: at(-5 * MINUTE), implementation: at(3 * DAY) }),
};

async function setSchedule(id: string, schedule: Schedule) {
  await db.send(new UpdateCommand({
    TableName: api.tableName, Key: budgetKeys.budget(id),
    UpdateExpression: 'SET schedule = :s', ExpressionAttributeValues: { ':s': { paperCountEnds: null, ...schedule } },
  }));
}

const council = (community = 'ternopil') => api.token({ sub: `council-${randomUUID()}`, roles: ['council'], community });
const citizen = (id = nationalId()) => api.token({ sub: `citizen-${randomUUID()}`, nationalId: id });
const schoolAdmin = (school?: string) => api.token({ sub: `school-admin-${randomUUID()}`, roles: ['school-admin'], ...(school ? { school } : {}) });

async function createBudget(definition: Record<string, unknown>, token?: string) {
  const res = await api.request('POST', '/v1/budgets', { token: token ?? (await council()), body: definition });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body as { id: string };
}

const submit = (id: string, token: string, title = 'Лавки в парку Шевченка', cost = 100) =>
  api.request('POST', `/v1/budgets/${id}/projects`, { token, body: { title, description: 'Двадцять нових лавок уздовж алей парку.', cost } });

/** A public budget in voting: projects 1, 2, 3 (100 each) admitted, `total` to spend, greedy by votes. */
async function publicBudgetInVoting(total = 200) {
  const { id } = await createBudget({
    kind: 'public', title: 'Бюджет мікрорайону Дружба', money: { total }, schedule: schedules.submission(), preSupport: { required: 0 },
    ballotRules: { type: 'approval', projects: { min: 1, max: 2 } }, rule: { name: 'greedy', rankBy: 'votes' },
  });
  const author = await citizen();
  for (const title of ['Project A: benches', 'Project B: lights', 'Project C: trees']) expect((await submit(id, author, title)).status).toBe(201);
  await setSchedule(id, schedules.review());
  const reviewer = await council();
  for (const projectId of ['1', '2', '3']) {
    const res = await api.request('POST', `/v1/budgets/${id}/projects/${projectId}/review`, { token: reviewer, body: { feasible: true, reason: 'Feasible as submitted.', finalCost: 100 } });
    expect(res.status).toBe(200);
  }
  await setSchedule(id, schedules.voting());
  return id;
}

const vote = (id: string, token: string, projects = ['1'], ballotId: string = randomUUID()) =>
  api.request('POST', `/v1/budgets/${id}/ballots`, { token, body: { ballotId, ballot: { projects } } });

async function markers(id: string) {
  const out: Record<string, unknown>[] = [];
  for (let shard = 0; shard < BALLOT_SHARDS; shard++) {
    const { Items } = await db.send(new QueryCommand({
      TableName: api.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': budgetKeys.voterShard(id, shard) }, ConsistentRead: true,
    }));
    out.push(...(Items ?? []));
  }
  return out.map((m) => String(m.sk).slice('VOTER#'.length));
}

async function everything() {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: api.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}

describe('item 1: school staff act only on their own school; codes are capped at the registered students', () => {
  const schoolBudget = (schoolId: string, students?: number) => ({
    kind: 'school', schoolId, ...(students !== undefined ? { students } : {}), title: `Шкільний бюджет, ${schoolId}`,
    money: { total: 80_000 }, schedule: schedules.submission(), ballotRules: { type: 'choose-1' }, rule: { name: 'greedy', rankBy: 'votes' },
  });

  it('a school budget states its students; a school-1 admin cannot submit, issue codes or see counts for school 2 (403)', async () => {
    const noStudents = await api.request('POST', '/v1/budgets', { token: await council(), body: schoolBudget('school-1') });
    expect(noStudents.body).toMatchObject({ status: 422, type: expect.stringContaining('students-required') });
    const { id: one } = await createBudget(schoolBudget('school-1', 5));
    const { id: two } = await createBudget(schoolBudget('school-2', 5));
    expect((await api.request('GET', `/v1/budgets/${one}`)).body.students).toBe(5);
    // Locally, POST /dev/token takes the school, as provisioning sets it on a staff account.
    const minted = await api.request('POST', '/dev/token', { body: { sub: `school-admin-${randomUUID()}`, roles: ['school-admin'], community: 'ternopil', school: 'school-1' } });
    expect(minted.status).toBe(200);
    const admin1: string = minted.body.token;
    const admin2 = await schoolAdmin('school-2');
    const unbound = await schoolAdmin();

    expect((await submit(two, admin1, 'Спортивний майданчик', 40_000)).body).toMatchObject({ status: 403, type: expect.stringContaining('not-your-school') });
    expect((await submit(one, unbound, 'Спортивний майданчик', 40_000)).body).toMatchObject({ status: 403, type: expect.stringContaining('not-your-school') });
    expect((await submit(one, admin1, 'Спортивний майданчик', 40_000)).status).toBe(201);
    expect((await submit(two, admin2, 'Зелений клас', 40_000)).status).toBe(201);

    const foreignCodes = await api.request('POST', `/v1/budgets/${two}/codes`, { token: admin1, body: { count: 3 } });
    expect(foreignCodes.body).toMatchObject({ status: 403, type: expect.stringContaining('not-your-school') });
    expect((await api.request('POST', `/v1/budgets/${one}/codes`, { token: unbound, body: { count: 3 } })).status).toBe(403);
    expect((await api.request('GET', `/v1/budgets/${two}/codes`, { token: admin1 })).body).toMatchObject({ status: 403, type: expect.stringContaining('not-your-school') });
    expect((await api.request('GET', `/v1/budgets/${two}/codes`, { token: admin2 })).body).toMatchObject({ issued: 0, used: 0 });
    expect((await api.request('GET', `/v1/budgets/${two}/codes`, { token: await council() })).status).toBe(200);
    // Nothing was issued for school 2 by school 1's admin.
    expect((await api.request('GET', `/v1/budgets/${two}/projects`)).body.items).toHaveLength(1);
  });

  it('no more codes than students; the council raises the number (not below the codes issued); concurrent issues never exceed it', async () => {
    const { id } = await createBudget(schoolBudget('school-7', 5));
    const admin = await schoolAdmin('school-7');
    expect((await api.request('POST', `/v1/budgets/${id}/codes`, { token: admin, body: { count: 6 } })).body)
      .toMatchObject({ status: 409, type: expect.stringContaining('more-codes-than-students'), students: 5, codesIssued: 0 });
    expect((await api.request('POST', `/v1/budgets/${id}/codes`, { token: admin, body: { count: 4 } })).status).toBe(201);
    expect((await api.request('POST', `/v1/budgets/${id}/codes`, { token: admin, body: { count: 2 } })).body.type).toContain('more-codes-than-students');
    expect((await api.request('POST', `/v1/budgets/${id}/codes`, { token: admin, body: { count: 1 } })).status).toBe(201);

    expect((await api.request('PUT', `/v1/budgets/${id}/students`, { token: admin, body: { students: 50 } })).status).toBe(403);
    expect((await api.request('PUT', `/v1/budgets/${id}/students`, { token: await council(), body: { students: 4 } })).body)
      .toMatchObject({ status: 409, type: expect.stringContaining('below-codes-issued') });
    const raised = await api.request('PUT', `/v1/budgets/${id}/students`, { token: await council(), body: { students: 8 } });
    expect(raised).toMatchObject({ status: 200, body: { students: 8 } });
    // 3 codes left; two requests of 3 at once: one is issued, the other refused.
    const race = await Promise.all([0, 1].map(() => api.request('POST', `/v1/budgets/${id}/codes`, { token: admin, body: { count: 3 } })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await api.request('GET', `/v1/budgets/${id}/codes`, { token: admin })).body).toMatchObject({ issued: 8 });
    const audit = (await api.request('GET', '/v1/council/audit?limit=100', { token: await council() })).body.items as { action: string; target: { id: string } }[];
    expect(audit.filter((a) => a.action === 'budget.students.set' && a.target.id === id)).toHaveLength(1);
  });
});

describe('item 2: paper ballots, the paper-count window and preliminary results', () => {
  it('the same marker online and at the centre: voting both ways is refused (409) whichever comes first', async () => {
    const id = await publicBudgetInVoting();
    const staff = await council();
    const online = nationalId();
    expect((await vote(id, await citizen(online))).status).toBe(201);
    const thenPaper = await api.request('POST', `/v1/budgets/${id}/paper-voters`, { token: staff, body: { nationalId: online } });
    expect(thenPaper.body).toMatchObject({ status: 409, type: expect.stringContaining('already-voted') });

    const paper = '3012345678';
    expect((await api.request('POST', `/v1/budgets/${id}/paper-voters`, { token: staff, body: { nationalId: '301-234 5678' } })).status).toBe(201);
    const thenOnline = await vote(id, await citizen(paper));
    expect(thenOnline.body).toMatchObject({ status: 409, type: expect.stringContaining('already-voted') });
    expect((await api.request('POST', `/v1/budgets/${id}/paper-voters`, { token: staff, body: { nationalId: paper } })).status).toBe(409);

    // Without a national identifier in the token, no online ballot (it could not be matched against paper).
    const anonymous = await api.token({ sub: `citizen-${randomUUID()}` });
    expect((await vote(id, anonymous)).body).toMatchObject({ status: 403, type: expect.stringContaining('national-id-required') });
    expect((await api.request('POST', `/v1/budgets/${id}/paper-voters`, { token: await citizen(), body: { nationalId: nationalId() } })).status).toBe(403);

    // Two markers (the online voter and the paper voter); no identifier and no ballot link stored.
    expect(await markers(id)).toHaveLength(2);
    const stored = await everything();
    for (const text of [online, paper]) expect(stored).not.toContain(text);
  });

  it('no paper ballot without a person identified for it, none after voting closes when no paper-count window is stated', async () => {
    const id = await publicBudgetInVoting();
    const staff = await council();
    const enter = (ballotId: string, projects = ['2']) => api.request('POST', `/v1/budgets/${id}/paper-ballots`, { token: staff, body: { ballotId, ballot: { projects } } });
    expect((await enter(randomUUID())).body).toMatchObject({ status: 409, type: expect.stringContaining('more-ballots-than-paper-voters') });
    expect((await api.request('POST', `/v1/budgets/${id}/paper-voters`, { token: staff, body: { nationalId: nationalId() } })).status).toBe(201);
    const first = randomUUID();
    expect((await enter(first)).status).toBe(201);
    expect((await enter(first)).status).toBe(200);
    expect((await enter(randomUUID())).body.type).toContain('more-ballots-than-paper-voters');
    expect((await api.request('POST', `/v1/budgets/${id}/paper-voters`, { token: staff, body: { nationalId: nationalId() } })).status).toBe(201);

    // Voting closes: the attack, ten paper ballots after the close, is refused; no public count moves.
    await setSchedule(id, schedules.closed());
    const late = await Promise.all(Array.from({ length: 10 }, () => enter(randomUUID())));
    expect(late.map((r) => r.body.type)).toEqual(Array(10).fill(expect.stringContaining('paper-window-closed')));
    expect((await api.request('POST', `/v1/budgets/${id}/paper-voters`, { token: staff, body: { nationalId: nationalId() } })).status).toBe(409);
    expect((await api.request('GET', `/v1/budgets/${id}/results`)).body).toMatchObject({ status: 403, type: expect.stringContaining('results-not-published') });
    expect((await api.request('GET', `/v1/council/budgets/${id}/results`, { token: staff })).body.ballots).toMatchObject({ total: 1, paper: 1 });
  });

  it('with a paper-count window: paper ballots until it ends, the count is the council’s until publication, publication after the window', async () => {
    const paperCountEnds = at(3 * DAY + 12 * 3_600_000);
    const { id } = await createBudget({
      kind: 'public', title: 'Бюджет мікрорайону Схід', money: { total: 200 }, preSupport: { required: 0 },
      schedule: { ...schedules.submission(), paperCountEnds },
      ballotRules: { type: 'approval', projects: { min: 1, max: 2 } }, rule: { name: 'greedy', rankBy: 'votes' },
    });
    expect((await api.request('GET', `/v1/budgets/${id}`)).body.schedule.paperCountEnds).toBe(paperCountEnds);
    const author = await citizen();
    for (const title of ['Project A: benches', 'Project B: lights']) expect((await submit(id, author, title)).status).toBe(201);
    await setSchedule(id, schedules.review());
    const staff = await council();
    for (const projectId of ['1', '2']) {
      await api.request('POST', `/v1/budgets/${id}/projects/${projectId}/review`, { token: staff, body: { feasible: true, reason: 'Feasible as submitted.', finalCost: 100 } });
    }
    await setSchedule(id, schedules.voting());
    expect((await vote(id, await citizen())).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await api.request('POST', `/v1/budgets/${id}/paper-voters`, { token: staff, body: { nationalId: nationalId() } })).status).toBe(201);
    const enter = () => api.request('POST', `/v1/budgets/${id}/paper-ballots`, { token: staff, body: { ballotId: randomUUID(), ballot: { projects: ['2'] } } });
    expect((await enter()).status).toBe(201);

    // Voting has closed; the paper-count window lasts another hour.
    await setSchedule(id, { ...schedules.closed(), paperCountEnds: at(3_600_000) });
    expect((await enter()).status).toBe(201);
    expect((await api.request('GET', `/v1/budgets/${id}/results`)).body.type).toContain('results-not-published');
    expect((await api.request('GET', `/v1/budgets/${id}/ballots`)).body.type).toContain('results-not-published');
    expect((await api.request('GET', `/v1/budgets/${id}/results`, { token: staff })).status).toBe(403);
    expect((await api.request('GET', `/v1/council/budgets/${id}/results`, { token: await citizen() })).status).toBe(403);
    const preliminary = await api.request('GET', `/v1/council/budgets/${id}/results`, { token: staff });
    expect(preliminary.body).toMatchObject({ published: false, ballots: { total: 3, internet: 1, paper: 2 } });
    expect((await api.request('POST', `/v1/budgets/${id}/results`, { token: staff })).body).toMatchObject({ status: 409, type: expect.stringContaining('voting-not-closed') });

    // The window has ended: no more paper; the council publishes; now the public sees the results.
    await setSchedule(id, { ...schedules.closed(), paperCountEnds: at(-2 * MINUTE) });
    expect((await enter()).body.type).toContain('paper-window-closed');
    const published = await api.request('POST', `/v1/budgets/${id}/results`, { token: staff });
    expect(published.status).toBe(201);
    expect((await api.request('GET', `/v1/budgets/${id}/results`)).body).toEqual(published.body);
    expect((await api.request('GET', `/v1/budgets/${id}/ballots`)).body.items).toHaveLength(3);
  });

  it('a paper-count window must end after voting closes and by implementation; school budgets take no paper', async () => {
    const base = {
      kind: 'public', title: 'Бюджет мікрорайону Схід', money: { total: 200 }, preSupport: { required: 0 },
      ballotRules: { type: 'approval' }, rule: { name: 'greedy', rankBy: 'votes' },
    };
    const early = await api.request('POST', '/v1/budgets', { token: await council(), body: { ...base, schedule: { ...schedules.submission(), paperCountEnds: at(2 * DAY + MINUTE) } } });
    expect(early.body).toMatchObject({ status: 422, type: expect.stringContaining('paper-count-out-of-order') });
    const school = await api.request('POST', '/v1/budgets', {
      token: await council(),
      body: { ...base, kind: 'school', schoolId: 'school-5', students: 300, ballotRules: { type: 'choose-1' }, schedule: { ...schedules.submission(), paperCountEnds: at(3 * DAY + MINUTE) } },
    });
    expect(school.body).toMatchObject({ status: 422, type: expect.stringContaining('school-without-paper') });
  });
});

describe('item 10: the legal minimum age; no project funded without votes', () => {
  it('minAge below the community’s legal minimum (Ternopil 16) is refused; at or above it is kept', async () => {
    const base = {
      kind: 'public', title: 'Бюджет мікрорайону Дружба', money: { total: 200 }, schedule: schedules.submission(), preSupport: { required: 0 },
      ballotRules: { type: 'approval' }, rule: { name: 'greedy', rankBy: 'votes' },
    };
    for (const minAge of [0, 15]) {
      const res = await api.request('POST', '/v1/budgets', { token: await council(), body: { ...base, eligibility: { minAge } } });
      expect(res.body, `minAge ${minAge}`).toMatchObject({ status: 422, type: expect.stringContaining('min-age-below-legal') });
    }
    for (const minAge of [16, 18]) expect((await createBudget({ ...base, eligibility: { minAge } })).id).toBeTruthy();
    const school = await api.request('POST', '/v1/budgets', {
      token: await council(),
      body: { ...base, kind: 'school', schoolId: 'school-5', students: 300, eligibility: { minAge: 10 }, ballotRules: { type: 'choose-1' } },
    });
    expect(school.body.type).toContain('school-age-not-expected');
  });

  it('greedy leaves a project nobody voted for unfunded, though the money would cover it', async () => {
    const id = await publicBudgetInVoting(300);
    for (let i = 0; i < 3; i++) expect((await vote(id, await citizen(), ['1'])).status).toBe(201);
    await setSchedule(id, schedules.closed());
    const results = await api.request('GET', `/v1/council/budgets/${id}/results`, { token: await council() });
    expect(results.body).toMatchObject({ winners: ['1'], totalSpent: 100 });
    const decisions = results.body.categories[0].explanation.decisions as { projectId: string; decision: string }[];
    expect(decisions.filter((d) => d.decision === 'no-votes').map((d) => d.projectId).sort()).toEqual(['2', '3']);
  });
});

describe('item 11: voter markers and person keys are keyed with the key ring, stable across a rotation', () => {
  afterEach(() => {
    process.env.HROMADA_SECRETS = originalRing;
  });

  it('the stored marker is the HMAC under the budget’s recorded key: another ring gives another, the unkeyed hash is not it', async () => {
    const id = await publicBudgetInVoting();
    const person = nationalId();
    expect((await vote(id, await citizen(person))).status).toBe(201);
    const { Item } = await db.send(new GetCommand({ TableName: api.tableName, Key: budgetKeys.budget(id) }));
    const ring = parseKeyRing(originalRing);
    expect(Item!.markerKeyId).toBe(ring.currentId);
    const expected = voterKey(ring, ring.currentId, id, person);
    expect(await markers(id)).toEqual([expected]);
    expect(voterKey(parseKeyRing(generateKeyRingJson(ring.currentId)), ring.currentId, id, person)).not.toBe(expected);
    const unkeyed = createHash('sha256').update(`hromada:budget-voter:${id}\u0000${person}`, 'utf8').digest('base64url');
    expect(expected).not.toBe(unkeyed);
  });

  it('a rotation mid-process keeps the process on its key: a second vote is still refused; removing the key too early refuses ballots (503), never a second vote', async () => {
    const old = parseKeyRing(originalRing);
    const oldSecret = old.keys.get(old.currentId)!.toString('utf8');
    const id = await publicBudgetInVoting();
    const person = nationalId();
    const token = await citizen(person);
    expect((await vote(id, token)).status).toBe(201);

    // Rotation: a new current key; the old one stays in the ring until the process has ended.
    process.env.HROMADA_SECRETS = JSON.stringify({ current: 'rotated', [old.currentId]: oldSecret, rotated: 'r'.repeat(48) });
    expect((await vote(id, token, ['2'])).body).toMatchObject({ status: 409, type: expect.stringContaining('already-voted') });
    const paperAgain = await api.request('POST', `/v1/budgets/${id}/paper-voters`, { token: await council(), body: { nationalId: person } });
    expect(paperAgain.body.type).toContain('already-voted');
    const newcomer = nationalId();
    expect((await vote(id, await citizen(newcomer))).status).toBe(201);
    expect(await markers(id)).toEqual(expect.arrayContaining([voterKey(old, old.currentId, id, person), voterKey(old, old.currentId, id, newcomer)]));
    // A process created after the rotation uses the new key for its whole life.
    const later = await publicBudgetInVoting();
    expect((await db.send(new GetCommand({ TableName: api.tableName, Key: budgetKeys.budget(later) }))).Item!.markerKeyId).toBe('rotated');

    // The old key removed while the process still runs: no ballot can be checked, so none is taken.
    process.env.HROMADA_SECRETS = JSON.stringify({ current: 'rotated', rotated: 'r'.repeat(48) });
    const refused = await vote(id, token, ['2']);
    expect(refused.status).toBe(503);
    expect(await markers(id)).toHaveLength(2);
  });

  it('consultation responses: keyed person keys; after a rotation the same person changes their one response (200), never a second one', async () => {
    const councilToken = await council();
    const created = await api.request('POST', '/v1/consultations', {
      token: councilToken,
      body: {
        title: 'Де облаштувати новий сквер?', opensAt: at(-MINUTE), closesAt: at(DAY), resultsVisibility: 'live',
        questions: [{ id: 'where', type: 'single', text: 'Де?', options: [{ id: 'north', text: 'Північ' }, { id: 'south', text: 'Південь' }] }],
      },
    });
    expect(created.status).toBe(201);
    const cid = created.body.id as string;
    const sub = `citizen-${randomUUID()}`;
    const token = await api.token({ sub });
    const respond = (option: string) => api.request('PUT', `/v1/consultations/${cid}/response`, { token, body: { answers: [{ questionId: 'where', optionIds: [option] }] } });
    expect((await respond('north')).status).toBe(201);
    const old = parseKeyRing(originalRing);
    const key = keyedHash(old, `consultation-response:${cid}`, sub, old.currentId);
    expect((await db.send(new GetCommand({ TableName: api.tableName, Key: consultationKeys.response(cid, key) }))).Item).toBeDefined();
    const unkeyed = createHash('sha256').update(`hromada:consultation-response:${cid}\u0000${sub}`).digest('base64url');
    expect((await db.send(new GetCommand({ TableName: api.tableName, Key: consultationKeys.response(cid, unkeyed) }))).Item).toBeUndefined();

    process.env.HROMADA_SECRETS = JSON.stringify({ current: 'rotated', [old.currentId]: old.keys.get(old.currentId)!.toString('utf8'), rotated: 'r'.repeat(48) });
    expect((await respond('south')).status).toBe(200);
    expect((await api.request('GET', `/v1/consultations/${cid}/response`, { token })).body.answers).toEqual([{ questionId: 'where', optionIds: ['south'] }]);
    expect((await api.request('GET', `/v1/consultations/${cid}/results`)).body).toMatchObject({ participants: 1 });
  });
});
