import { randomUUID } from 'node:crypto';
import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { budgetKeys } from '#shared/data/budgets.ts';
import { parsePabulib } from '#shared/domain/budget/pabulib.ts';
import { ternopil, ukStyle } from '#shared/domain/community.ts';
import { BALLOT_SHARDS, receiptOf } from '#shared/domain/budget-process/secrecy.ts';
import { budgetScheduleAt, setBudgetPhase, type BudgetPhase } from '../support/budget-schedule.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let api: TestSystem;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  api = await startTestSystem({ communities: [ternopil, ukStyle] });
  db = createDocumentClient(api.dynamoEndpoint);
});
afterAll(async () => {
  await api?.stop();
  db.destroy();
});

const scheduleAt = (phase: BudgetPhase, withPreSupport: boolean) => budgetScheduleAt(phase, { preSupport: withPreSupport });

/** Moves a budget into a phase, keeping its pre-support phase if it has one. */
async function setPhase(id: string, phase: BudgetPhase) {
  const withPreSupport = phase === 'preSupport' || (await api.request('GET', `/v1/budgets/${id}`)).body.schedule.preSupport !== null;
  await setBudgetPhase(db, api.tableName, id, phase, { preSupport: withPreSupport });
}

const council = (community = 'ternopil') => api.token({ sub: `council-${randomUUID()}`, roles: ['council'], community });
/** A national identifier (РНОКПП-like, 10 digits) for a new person. */
const nationalId = () => String(Math.floor(1e9 + Math.random() * 9e9));
const citizen = (overrides: { community?: string; birthdate?: string } = {}) => api.token({ sub: `citizen-${randomUUID()}`, nationalId: nationalId(), ...overrides });

const ternopilDefinition = (overrides: Record<string, unknown> = {}) => ({
  kind: 'public',
  title: 'Громадський бюджет Тернополя 2026',
  money: {
    currency: 'UAH', total: 30_000_000,
    categories: [{ id: 'large', name: 'Великі', amount: 20_000_000 }, { id: 'small', name: 'Малі', amount: 10_000_000 }],
  },
  schedule: scheduleAt('submission', true),
  ballotRules: { type: 'approval', perCategory: { large: { min: 1, max: 1 }, small: { min: 1, max: 1 } } },
  rule: { name: 'fixed-winners-per-category', rankBy: 'votes', categories: { large: { winners: 10, minimum: 500 }, small: { winners: 10, minimum: 300 } } },
  ...overrides,
});

async function createBudget(definition: Record<string, unknown>, token?: string) {
  const res = await api.request('POST', '/v1/budgets', { token: token ?? (await council()), body: definition });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body as { id: string };
}

async function submit(id: string, token: string, body: Record<string, unknown>) {
  return api.request('POST', `/v1/budgets/${id}/projects`, { token, body: { title: 'Лавки в парку Шевченка', description: 'Двадцять нових лавок уздовж алей парку.', ...body } });
}

async function allItems() {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: api.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * A request as a client sends it: on 503 (the store did not answer in time; what was sent may or
 * may not be stored) the same request again after Retry-After, with jitter. Only happens when
 * DynamoDB Local is saturated by test files running in parallel. Returns every status seen.
 */
async function retrying(send: () => Promise<{ status: number; headers: Headers; body: any; text: string }>) {
  const seen: number[] = [];
  for (;;) {
    const res = await send();
    seen.push(res.status);
    if (res.status !== 503 || seen.length >= 25) return Object.assign(res, { seen });
    const retryAfter = Number(res.headers.get('retry-after') ?? '5');
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 * (0.5 + Math.random())));
  }
}

async function shardItems(id: string, kind: 'VOTERS' | 'BALLOTS') {
  const out: Record<string, unknown>[] = [];
  for (let shard = 0; shard < BALLOT_SHARDS; shard++) {
    const pk = kind === 'VOTERS' ? budgetKeys.voterShard(id, shard) : budgetKeys.ballotShard(id, shard);
    const { Items } = await db.send(new QueryCommand({ TableName: api.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }));
    out.push(...(Items ?? []));
  }
  return out;
}

async function auditActions(community = 'ternopil') {
  const res = await api.request('GET', '/v1/council/audit?limit=100', { token: await council(community) });
  return res.body.items as { action: string; target: { id: string }; detail: Record<string, unknown> | null }[];
}

describe('budget processes', () => {
  it('the council creates a budget with money, phases, eligibility, ballot and rule; anyone reads it; the phase follows the dates', async () => {
    const { id } = await createBudget(ternopilDefinition());
    const read = await api.request('GET', `/v1/budgets/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      kind: 'public', phase: 'submission', community: 'ternopil', eligibility: { method: 'account', minAge: 16 }, preSupport: { required: 15 },
      money: { total: 30_000_000 }, rule: { name: 'fixed-winners-per-category', tieBreaking: ['list-order'] },
    });
    expect(JSON.stringify(read.body)).not.toContain('council-');
    await setPhase(id, 'voting');
    expect((await api.request('GET', `/v1/budgets/${id}`)).body.phase).toBe('voting');
    const list = await api.request('GET', '/v1/budgets?community=ternopil');
    expect(list.body.items.map((b: { id: string }) => b.id)).toContain(id);
    expect((await api.request('GET', '/v1/budgets?community=uk-style-demo')).body.items.map((b: { id: string }) => b.id)).not.toContain(id);
    expect((await auditActions()).some((a) => a.action === 'budget.created' && a.target.id === id)).toBe(true);
  });

  it('refuses: a citizen 403, an unknown field 400, a definition breaking a rule 422 naming it', async () => {
    const body = ternopilDefinition();
    expect((await api.request('POST', '/v1/budgets', { token: await citizen(), body })).status).toBe(403);
    expect((await api.request('POST', '/v1/budgets', { token: await council(), body: { ...body, district: 'center' } })).status).toBe(400);
    const broken = await api.request('POST', '/v1/budgets', { token: await council(), body: { ...body, money: { total: 5, categories: [{ id: 'large', name: 'L', amount: 4 }] } } });
    expect(broken.status).toBe(422);
    expect(broken.body.type).toContain('categories-do-not-add-up');
    const mes = await api.request('POST', '/v1/budgets', { token: await council(), body: { ...body, ballotRules: { type: 'ordinal', minLength: 1, maxLength: 3 }, rule: { name: 'equal-shares', utility: 'cost', completion: 'add1', comparison: 'none' } } });
    expect(mes.status).toBe(422);
    expect(mes.body.type).toContain('rule-needs-approval-ballots');
  });
});

describe('projects: submission, pre-support, review', () => {
  it('citizens submit in their category; 15 others pre-support exactly once each; the council reviews with a reason and final cost (audited)', async () => {
    const { id } = await createBudget(ternopilDefinition());
    const author = await citizen();
    const large = await submit(id, author, { cost: 3_000_000, category: 'large' });
    expect(large.status).toBe(201);
    expect(large.body).toMatchObject({ id: '1', status: 'collecting-support', preSupport: { count: 0, required: 15, reached: false }, finalCost: null });
    expect(large.headers.get('location')).toBe(`/v1/budgets/${id}/projects/1`);
    expect(JSON.stringify(large.body)).not.toContain('citizen-');
    const small = await submit(id, author, { cost: 400_000, category: 'small' });
    expect(small.body.id).toBe('2');

    // Rules of submission.
    expect((await submit(id, author, { cost: 400_000 })).body.type).toContain('category-required');
    expect((await submit(id, author, { cost: 10_000_001, category: 'small' })).body.type).toContain('over-budget');
    expect((await submit(id, await citizen({ birthdate: '2015-01-01' }), { cost: 1, category: 'small' })).status).toBe(403);
    expect((await submit(id, await citizen({ community: 'uk-style-demo' }), { cost: 1, category: 'small' })).status).toBe(403);

    // Pre-support: 15 supporters, each trying 3 times at once, counted exactly once; the author cannot.
    const supporters = await Promise.all(Array.from({ length: 15 }, () => citizen()));
    const attempts = await Promise.all(supporters.flatMap((token) => [0, 1, 2].map(() => retrying(() => api.request('POST', `/v1/budgets/${id}/projects/1/supports`, { token })))));
    expect(attempts.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(attempts.flatMap((r) => r.seen).filter((status) => status === 201).length).toBeLessThanOrEqual(15);
    expect(attempts.map((r) => r.body.supportCount).sort((a, b) => b - a)[0]).toBe(15);
    expect((await api.request('POST', `/v1/budgets/${id}/projects/1/supports`, { token: author })).body.type).toContain('own-project');
    await Promise.all(supporters.slice(0, 3).map((token) => api.request('POST', `/v1/budgets/${id}/projects/2/supports`, { token })));
    const listed = await api.request('GET', `/v1/budgets/${id}/projects`);
    expect(listed.body.items.map((p: { id: string; preSupport: { count: number } }) => [p.id, p.preSupport.count])).toEqual([['1', 15], ['2', 3]]);
    expect(listed.body.items[0]).not.toHaveProperty('description');

    // Review: only in the review phase, only with enough support, only the council of the community.
    const reviewer = await council();
    const admit = { feasible: true, reason: 'Технічно можливо, кошторис уточнено.', finalCost: 2_800_000 };
    expect((await api.request('POST', `/v1/budgets/${id}/projects/1/review`, { token: reviewer, body: admit })).body.type).toContain('wrong-phase');
    await setPhase(id, 'review');
    expect((await api.request('GET', `/v1/budgets/${id}/projects/1`)).body.status).toBe('awaiting-review');
    expect((await api.request('GET', `/v1/budgets/${id}/projects/2`)).body.status).toBe('insufficient-support');
    expect((await api.request('POST', `/v1/budgets/${id}/projects/1/supports`, { token: await citizen() })).status).toBe(409);
    expect((await api.request('POST', `/v1/budgets/${id}/projects/1/review`, { token: await council('uk-style-demo'), body: admit })).status).toBe(404);
    expect((await api.request('POST', `/v1/budgets/${id}/projects/1/review`, { token: await citizen(), body: admit })).status).toBe(403);
    const insufficient = await api.request('POST', `/v1/budgets/${id}/projects/2/review`, { token: reviewer, body: admit });
    expect(insufficient.status).toBe(409);
    expect(insufficient.body.type).toContain('insufficient-support');
    const reviewed = await api.request('POST', `/v1/budgets/${id}/projects/1/review`, { token: reviewer, body: admit });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({ status: 'admitted', finalCost: 2_800_000, review: { feasible: true, reason: admit.reason } });
    const changed = await api.request('POST', `/v1/budgets/${id}/projects/1/review`, { token: reviewer, body: { feasible: false, reason: 'Земельна ділянка не комунальна.' } });
    expect(changed.body).toMatchObject({ status: 'rejected', finalCost: null });
    const audit = await auditActions();
    expect(audit.filter((a) => a.target.id === `${id}/1`).map((a) => a.action).sort()).toEqual(['budget.project.review-changed', 'budget.project.reviewed']);
  });
});

/** A public budget in voting: projects A, B, C (100 each) admitted, 200 to spend, greedy by votes, up to 2 per ballot. */
async function budgetInVoting(overrides: Record<string, unknown> = {}) {
  const { id } = await createBudget({
    kind: 'public', title: 'Бюджет мікрорайону Дружба',
    money: { total: 200 }, schedule: scheduleAt('submission', false), preSupport: { required: 0 },
    ballotRules: { type: 'approval', projects: { min: 1, max: 2 } }, rule: { name: 'greedy', rankBy: 'votes' },
    ...overrides,
  });
  const author = await citizen();
  for (const title of ['Project A: benches', 'Project B: lights', 'Project C: trees']) {
    const res = await submit(id, author, { title, cost: 100 });
    if (res.status !== 201) throw new Error(res.text);
  }
  await setPhase(id, 'review');
  const reviewer = await council();
  for (const projectId of ['1', '2', '3']) {
    await api.request('POST', `/v1/budgets/${id}/projects/${projectId}/review`, { token: reviewer, body: { feasible: true, reason: 'Feasible as submitted.', finalCost: 100 } });
  }
  await setPhase(id, 'voting');
  return { id, reviewer };
}

describe('secret ballots', () => {
  let id: string;
  const voters: { token: string; sub: string; ballotId: string; receipt?: string }[] = [];

  beforeAll(async () => {
    ({ id } = await budgetInVoting());
  });

  it('a ballot breaking a rule is refused with the rule’s message, and nothing is stored', async () => {
    const token = await citizen();
    const tooMany = await api.request('POST', `/v1/budgets/${id}/ballots`, { token, body: { ballotId: randomUUID(), ballot: { projects: ['1', '2', '3'] } } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.type).toContain('too-many-projects');
    expect(tooMany.body.detail).toBe('At most 2 projects can be chosen; this ballot has 3.');
    const unknown = await api.request('POST', `/v1/budgets/${id}/ballots`, { token, body: { ballotId: randomUUID(), ballot: { projects: ['9'] } } });
    expect(unknown.body).toMatchObject({ status: 422, rule: 'unknown-project' });
    const empty = await api.request('POST', `/v1/budgets/${id}/ballots`, { token, body: { ballotId: randomUUID(), ballot: { projects: [] } } });
    expect(empty.body.type).toContain('too-few-projects');
    const points = await api.request('POST', `/v1/budgets/${id}/ballots`, { token, body: { ballotId: randomUUID(), ballot: { projects: ['1'], points: [3] } } });
    expect(points.body.type).toContain('points-not-expected');
    expect(await shardItems(id, 'BALLOTS')).toHaveLength(0);
    expect(await shardItems(id, 'VOTERS')).toHaveLength(0);
  });

  it('one ballot per voter under 300 concurrent attempts by 100 voters; every successful retry gets the same receipt', async () => {
    for (let i = 0; i < 100; i++) {
      const sub = `voter-${i}-${randomUUID()}`;
      voters.push({ sub, token: await api.token({ sub, nationalId: nationalId() }), ballotId: randomUUID() });
    }
    // Voters 0-79 retry with the same ballotId (a retry); 80-99 send three different ballots at once.
    const choice = (i: number) => (i < 60 ? ['1'] : ['2']);
    const attempts = voters.flatMap((voter, i) => [0, 1, 2].map((k) => ({ i, k, ballotId: i < 80 ? voter.ballotId : k === 0 ? voter.ballotId : randomUUID() })));
    const send = async (a: (typeof attempts)[number]) => ({
      ...a,
      res: await retrying(() => api.request('POST', `/v1/budgets/${id}/ballots`, { token: voters[a.i]!.token, body: { ballotId: a.ballotId, ballot: { projects: choice(a.i) } } })),
    });
    const responses = await Promise.all(attempts.map(send));
    const histogram = new Map<number, number>();
    for (const r of responses) for (const status of r.res.seen) histogram.set(status, (histogram.get(status) ?? 0) + 1);
    console.log('300 concurrent attempts, statuses of every request:', JSON.stringify(Object.fromEntries(histogram)));
    for (const [i, voter] of voters.entries()) {
      const mine = responses.filter((r) => r.i === i);
      const ok = mine.filter((r) => r.res.status === 201 || r.res.status === 200);
      // At most one 201: a 503 may hide a ballot that was stored, whose retry then gets 200.
      expect(mine.flatMap((r) => r.res.seen).filter((status) => status === 201).length, `voter ${i}`).toBeLessThanOrEqual(1);
      if (i < 80) {
        expect(ok, `voter ${i}`).toHaveLength(3);
        expect(new Set(ok.map((r) => r.res.body.receipt))).toEqual(new Set([receiptOf(voter.ballotId)]));
      } else {
        expect(ok, `voter ${i}`).toHaveLength(1);
        expect(mine.filter((r) => r.res.status === 409).map((r) => r.res.body.type)).toEqual([expect.stringContaining('already-voted'), expect.stringContaining('already-voted')]);
      }
      const counted = ok[0]!;
      voter.ballotId = counted.ballotId;
      voter.receipt = counted.res.body.receipt;
      expect(counted.res.body).toMatchObject({ receipt: receiptOf(counted.ballotId), ballot: { projects: choice(i) }, votingMethod: 'internet', verifyAt: `/v1/budgets/${id}/ballots?receipt=${voter.receipt}` });
    }
    expect(await shardItems(id, 'BALLOTS')).toHaveLength(100);
    expect(await shardItems(id, 'VOTERS')).toHaveLength(100);

    // A later retry gets the same receipt; a new ballot of someone who voted is refused.
    const retry = await api.request('POST', `/v1/budgets/${id}/ballots`, { token: voters[5]!.token, body: { ballotId: voters[5]!.ballotId, ballot: { projects: ['1'] } } });
    expect(retry).toMatchObject({ status: 200, body: { receipt: voters[5]!.receipt } });
    const again = await api.request('POST', `/v1/budgets/${id}/ballots`, { token: voters[5]!.token, body: { ballotId: randomUUID(), ballot: { projects: ['2'] } } });
    expect(again.status).toBe(409);
    const changed = await api.request('POST', `/v1/budgets/${id}/ballots`, { token: voters[5]!.token, body: { ballotId: voters[5]!.ballotId, ballot: { projects: ['2'] } } });
    expect(changed.body.type).toContain('ballot-id-reused');
    // Someone else's ballotId does not let another voter in, nor reveal anything.
    const stolen = await api.request('POST', `/v1/budgets/${id}/ballots`, { token: await citizen(), body: { ballotId: voters[6]!.ballotId, ballot: { projects: ['1'] } } });
    expect(stolen.body.type).toContain('ballot-id-taken');
  }, 300_000);

  it('nothing stored links a voter to a ballot: markers hold a hash and a day, ballots the choices only', async () => {
    const markers = await shardItems(id, 'VOTERS');
    for (const marker of markers) {
      expect(Object.keys(marker).sort()).toEqual(['budgetId', 'pk', 'sk', 'type', 'votedOn']);
      expect(marker.votedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const ballots = await shardItems(id, 'BALLOTS');
    for (const ballot of ballots) expect(Object.keys(ballot).sort()).toEqual(['budgetId', 'method', 'pk', 'projects', 'receipt', 'sk', 'type']);
    const everything = JSON.stringify(await allItems());
    for (const voter of voters) expect(everything).not.toContain(voter.sub);
    const markerKeys = new Set(markers.map((m) => String(m.sk).slice('VOTER#'.length)));
    for (const ballot of ballots) for (const key of markerKeys) expect(JSON.stringify(ballot)).not.toContain(key);
  });

  it('the receipt finds that exact ballot at any time; the full list waits for the close', async () => {
    const voter = voters[70]!;
    const found = await api.request('GET', `/v1/budgets/${id}/ballots?receipt=${voter.receipt}`);
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([{ receipt: voter.receipt, projects: ['2'], votingMethod: 'internet' }]);
    const typed = `${voter.receipt!.slice(0, 4).toLowerCase()}-${voter.receipt!.slice(4, 8)} ${voter.receipt!.slice(8)}`;
    expect((await api.request('GET', `/v1/budgets/${id}/ballots?receipt=${encodeURIComponent(typed)}`)).body.items[0].receipt).toBe(voter.receipt);
    expect((await api.request('GET', `/v1/budgets/${id}/ballots?receipt=0000000000000000`)).status).toBe(404);
    expect((await api.request('GET', `/v1/budgets/${id}/ballots`)).status).toBe(403);
    expect((await api.request('GET', `/v1/budgets/${id}/results`)).body.type).toContain('results-after-voting');
    expect((await api.request('GET', `/v1/budgets/${id}/export.pb`)).status).toBe(403);
  });

  it('eligibility: another community’s resident and a 15-year-old cannot vote', async () => {
    const elsewhere = await api.request('POST', `/v1/budgets/${id}/ballots`, { token: await citizen({ community: 'uk-style-demo' }), body: { ballotId: randomUUID(), ballot: { projects: ['1'] } } });
    expect(elsewhere.body).toMatchObject({ status: 403, type: expect.stringContaining('not-resident') });
    const young = new Date(Date.now() - 15 * 366 * 86_400_000).toISOString().slice(0, 10);
    const underAge = await api.request('POST', `/v1/budgets/${id}/ballots`, { token: await citizen({ birthdate: young }), body: { ballotId: randomUUID(), ballot: { projects: ['1'] } } });
    expect(underAge.body.type).toContain('under-age');
  });

  it('paper ballots entered by staff count like online ones (and change the outcome here)', async () => {
    // Online: A 60, B 40, C 0. Fifty paper ballots for C put it before B: winners A and C.
    const staff = await council();
    // Fifty people identified at the services centre, each handed one paper ballot.
    const paperVoters = await Promise.all(Array.from({ length: 50 }, () => retrying(() => api.request('POST', `/v1/budgets/${id}/paper-voters`, {
      token: staff, body: { nationalId: nationalId() },
    }))));
    expect(paperVoters.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect((await api.request('POST', `/v1/budgets/${id}/paper-ballots`, { token: await citizen(), body: { ballotId: randomUUID(), ballot: { projects: ['3'] } } })).status).toBe(403);
    expect((await api.request('POST', `/v1/budgets/${id}/paper-ballots`, { token: await council('uk-style-demo'), body: { ballotId: randomUUID(), ballot: { projects: ['3'] } } })).status).toBe(404);
    const ids = Array.from({ length: 50 }, () => randomUUID());
    const entered = await Promise.all(ids.map((ballotId, i) => retrying(() => api.request('POST', `/v1/budgets/${id}/paper-ballots`, {
      token: staff, body: { ballotId, ballot: { projects: ['3'] }, serial: `ЦНАП-${String(i + 1).padStart(4, '0')}` },
    }))));
    expect(entered.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(entered[0]!.body).toMatchObject({ votingMethod: 'paper', receipt: receiptOf(ids[0]!) });
    const repeated = await api.request('POST', `/v1/budgets/${id}/paper-ballots`, { token: staff, body: { ballotId: ids[0], ballot: { projects: ['3'] } } });
    expect(repeated).toMatchObject({ status: 200, body: { receipt: receiptOf(ids[0]!) } });
    const invalid = await api.request('POST', `/v1/budgets/${id}/paper-ballots`, { token: staff, body: { ballotId: randomUUID(), ballot: { projects: ['1', '2', '3'] } } });
    expect(invalid.body.type).toContain('too-many-projects');
    const audit = await auditActions();
    expect(audit.filter((a) => a.action === 'budget.paper-ballot.entered' && a.target.id === id)).toHaveLength(50);
  });

  it('after the close: results from the stored ballots under the rule; the council publishes once; a late retry still gets its receipt', async () => {
    await setPhase(id, 'results');
    const late = await api.request('POST', `/v1/budgets/${id}/ballots`, { token: await citizen(), body: { ballotId: randomUUID(), ballot: { projects: ['1'] } } });
    expect(late.body).toMatchObject({ status: 409, type: expect.stringContaining('wrong-phase') });
    const retry = await api.request('POST', `/v1/budgets/${id}/ballots`, { token: voters[1]!.token, body: { ballotId: voters[1]!.ballotId, ballot: { projects: ['1'] } } });
    expect(retry).toMatchObject({ status: 200, body: { receipt: voters[1]!.receipt } });

    // The count before publication is the council's only: the public sees results once published.
    expect((await api.request('GET', `/v1/budgets/${id}/results`)).body).toMatchObject({ status: 403, type: expect.stringContaining('results-not-published') });
    expect((await api.request('GET', `/v1/budgets/${id}/ballots`)).body).toMatchObject({ status: 403, type: expect.stringContaining('results-not-published') });
    expect((await api.request('GET', `/v1/budgets/${id}/export.pb`)).status).toBe(403);
    expect((await api.request('GET', `/v1/council/budgets/${id}/results`, { token: await council('uk-style-demo') })).status).toBe(404);
    const preliminary = await api.request('GET', `/v1/council/budgets/${id}/results`, { token: await council() });
    expect(preliminary.status).toBe(200);
    expect(preliminary.body).toMatchObject({
      winners: ['1', '3'], totalSpent: 200, published: false, publishedAt: null,
      ballots: { total: 150, internet: 100, paper: 50, code: 0 },
      rule: { name: 'greedy', rankBy: 'votes', tieBreaking: ['list-order'] },
    });
    expect(preliminary.body.projects.map((p: { projectId: string; votes: number; selected: boolean }) => [p.projectId, p.votes, p.selected]))
      .toEqual([['1', 60, true], ['2', 40, false], ['3', 50, true]]);
    expect(preliminary.body.categories[0].explanation.decisions.map((d: { decision: string }) => d.decision)).toEqual(['selected', 'selected', 'does-not-fit']);

    expect((await api.request('POST', `/v1/budgets/${id}/results`, { token: await citizen() })).status).toBe(403);
    expect((await api.request('POST', `/v1/budgets/${id}/results`, { token: await council('uk-style-demo') })).status).toBe(404);
    const staff = await council();
    const [first, second] = await Promise.all([
      api.request('POST', `/v1/budgets/${id}/results`, { token: staff }),
      api.request('POST', `/v1/budgets/${id}/results`, { token: staff }),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const published = [first, second].find((r) => r.status === 201)!.body;
    expect(published).toMatchObject({ winners: ['1', '3'], published: true });
    const read = await api.request('GET', `/v1/budgets/${id}/results`);
    expect(read.body).toEqual(published);

    // Anyone recounts from the published anonymous ballots.
    const all: { projects: string[] }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { projects: string[] }[]; nextCursor: string | null } } = await api.request('GET', `/v1/budgets/${id}/ballots?limit=40${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(150);
    expect(all.filter((b) => b.projects.includes('3'))).toHaveLength(50);
    expect((await api.request('POST', `/v1/budgets/${id}/paper-ballots`, { token: staff, body: { ballotId: randomUUID(), ballot: { projects: ['2'] } } })).body.type).toContain('counting-started');
    const audit = await auditActions();
    expect(audit.filter((a) => a.action === 'budget.results.published' && a.target.id === id)).toHaveLength(1);
    expect((await api.request('GET', `/v1/budgets/${id}/projects`)).body.items.map((p: { status: string }) => p.status)).toEqual(['selected', 'not-selected', 'selected']);
  });

  it('implementation is tracked for winners only, each update audited', async () => {
    const staff = await council();
    const update = await api.request('PUT', `/v1/budgets/${id}/projects/1/implementation`, { token: staff, body: { status: 'in-progress', progress: 30, note: 'Договір підписано.' } });
    expect(update.status).toBe(200);
    expect(update.body).toMatchObject({ status: 'selected', implementation: { status: 'in-progress', progress: 30, note: 'Договір підписано.' } });
    expect((await api.request('PUT', `/v1/budgets/${id}/projects/2/implementation`, { token: staff, body: { status: 'in-progress', progress: 10 } })).body.type).toContain('not-a-winner');
    expect((await api.request('PUT', `/v1/budgets/${id}/projects/1/implementation`, { token: staff, body: { status: 'completed', progress: 90 } })).status).toBe(422);
    expect((await api.request('PUT', `/v1/budgets/${id}/projects/1/implementation`, { token: staff, body: { status: 'completed', progress: 100 } })).status).toBe(200);
    expect((await api.request('PUT', `/v1/budgets/${id}/projects/1/implementation`, { token: staff, body: { status: 'in-progress', progress: 50 } })).status).toBe(409);
    expect((await api.request('GET', `/v1/budgets/${id}/projects/3`)).body.implementation).toMatchObject({ status: 'planned', progress: 0 });
    expect((await auditActions()).filter((a) => a.action === 'budget.project.implementation' && a.target.id === `${id}/1`)).toHaveLength(2);
  });

  it('exports the budget as a Pabulib file: projects with selected, votes under their receipts, paper marked', async () => {
    const res = await api.request('GET', `/v1/budgets/${id}/export.pb`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const file = parsePabulib(res.text);
    expect(file.meta).toMatchObject({ numProjects: 3, numVotes: 150, budget: 200, voteType: 'approval', rule: 'greedy', maxLength: 2, country: 'Ukraine' });
    expect(file.projects.map((p) => [p.projectId, p.votes, p.selected])).toEqual([['1', 60, 1], ['2', 40, 0], ['3', 50, 1]]);
    expect(file.votes.filter((v) => v.extra.voting_method === 'paper')).toHaveLength(50);
    expect(file.votes.map((v) => v.voterId)).toEqual(expect.arrayContaining(voters.map((v) => v.receipt)));
  });
});

describe('school budgets: one-time codes', () => {
  let schoolA: string;
  let schoolB: string;
  let admin: string;
  let adminB: string;
  let codesA: { code: string; qr: string }[];
  let codesB: { code: string; qr: string }[];

  const schoolDefinition = (schoolId: string) => ({
    kind: 'school', schoolId, students: 150, title: `Шкільний бюджет, ${schoolId}`,
    money: { total: 80_000 }, schedule: scheduleAt('submission', false),
    ballotRules: { type: 'choose-1' }, rule: { name: 'greedy', rankBy: 'votes' },
  });

  beforeAll(async () => {
    admin = await api.token({ sub: `school-admin-${randomUUID()}`, roles: ['school-admin'], school: 'school-5' });
    adminB = await api.token({ sub: `school-admin-${randomUUID()}`, roles: ['school-admin'], school: 'school-12' });
    ({ id: schoolA } = await createBudget(schoolDefinition('school-5')));
    ({ id: schoolB } = await createBudget(schoolDefinition('school-12')));
    for (const [id, own] of [[schoolA, admin], [schoolB, adminB]] as const) {
      // Students have no accounts: the administrator enters their projects.
      expect((await submit(id, await citizen(), { title: 'Спортивний майданчик', cost: 50_000 })).body.type).toContain('school-admin-only');
      for (const title of ['Спортивний майданчик', 'Зелений клас']) expect((await submit(id, own, { title, cost: 40_000 })).status).toBe(201);
      await setPhase(id, 'review');
      const reviewer = await council();
      for (const projectId of ['1', '2']) {
        await api.request('POST', `/v1/budgets/${id}/projects/${projectId}/review`, { token: reviewer, body: { feasible: true, reason: 'Погоджено школою.', finalCost: 40_000 } });
      }
    }
  });

  it('a school administrator of the community issues printable codes, once; only hashes are stored; the issue is audited', async () => {
    expect((await api.request('POST', `/v1/budgets/${schoolA}/codes`, { token: await council(), body: { count: 3 } })).status).toBe(403);
    const elsewhere = await api.token({ roles: ['school-admin'], community: 'uk-style-demo', school: 'school-5' });
    expect((await api.request('POST', `/v1/budgets/${schoolA}/codes`, { token: elsewhere, body: { count: 3 } })).status).toBe(404);
    const issued = await api.request('POST', `/v1/budgets/${schoolA}/codes`, { token: admin, body: { count: 120, qrBaseUrl: 'https://vote.ternopil.example/school' } });
    expect(issued.status).toBe(201);
    codesA = issued.body.codes;
    expect(codesA).toHaveLength(120);
    expect(new Set(codesA.map((c) => c.code)).size).toBe(120);
    for (const { code, qr } of codesA.slice(0, 5)) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(new URL(qr).searchParams.get('code')).toBe(code);
      expect(new URL(qr).searchParams.get('budget')).toBe(schoolA);
    }
    codesB = (await api.request('POST', `/v1/budgets/${schoolB}/codes`, { token: adminB, body: { count: 2 } })).body.codes;
    expect(codesB[0]!.qr).toMatch(/^hromada-vote:\?budget=/);
    const everything = JSON.stringify(await allItems());
    for (const { code } of [...codesA, ...codesB]) {
      expect(everything).not.toContain(code);
      expect(everything).not.toContain(code.replaceAll('-', ''));
    }
    // 120 codes: two transactions (99 + 21), each with its audit entry.
    const audit = (await auditActions()).filter((a) => a.action === 'budget.codes.issued' && a.target.id === schoolA);
    expect(audit.map((a) => a.detail!.codes).sort()).toEqual([21, 99]);
    expect((await api.request('GET', `/v1/budgets/${schoolA}/codes`, { token: admin })).body).toMatchObject({ issued: 120, used: 0 });
  });

  it('a code casts one ballot on its own school’s budget only, once; its retry gets the same receipt', async () => {
    expect((await api.request('POST', `/v1/budgets/${schoolA}/code-ballots`, { body: { code: codesA[0]!.code, ballotId: randomUUID(), ballot: { projects: ['1'] } } })).body.type).toContain('wrong-phase');
    await setPhase(schoolA, 'voting');
    await setPhase(schoolB, 'voting');
    // Students have no accounts; citizens cannot vote on a school budget with one.
    expect((await api.request('POST', `/v1/budgets/${schoolA}/ballots`, { token: await citizen(), body: { ballotId: randomUUID(), ballot: { projects: ['1'] } } })).body.type).toContain('school-codes-only');

    const ballotId = randomUUID();
    const cast = await api.request('POST', `/v1/budgets/${schoolA}/code-ballots`, { body: { code: codesA[0]!.code, ballotId, ballot: { projects: ['1'] } } });
    expect(cast).toMatchObject({ status: 201, body: { receipt: receiptOf(ballotId), votingMethod: 'code' } });
    const retry = await api.request('POST', `/v1/budgets/${schoolA}/code-ballots`, { body: { code: codesA[0]!.code.toLowerCase(), ballotId, ballot: { projects: ['1'] } } });
    expect(retry).toMatchObject({ status: 200, body: { receipt: receiptOf(ballotId) } });
    const reused = await api.request('POST', `/v1/budgets/${schoolA}/code-ballots`, { body: { code: codesA[0]!.code, ballotId: randomUUID(), ballot: { projects: ['2'] } } });
    expect(reused.body).toMatchObject({ status: 409, type: expect.stringContaining('code-used') });

    const crossSchool = await api.request('POST', `/v1/budgets/${schoolB}/code-ballots`, { body: { code: codesA[1]!.code, ballotId: randomUUID(), ballot: { projects: ['1'] } } });
    expect(crossSchool.body).toMatchObject({ status: 403, type: expect.stringContaining('invalid-code') });
    // ... and the refused attempt did not use the code: it still votes in its own school.
    expect((await api.request('POST', `/v1/budgets/${schoolA}/code-ballots`, { body: { code: codesA[1]!.code, ballotId: randomUUID(), ballot: { projects: ['2'] } } })).status).toBe(201);

    const symbols = codesA[2]!.code.replaceAll('-', '');
    const typo = symbols.slice(0, 5) + (symbols[5] === 'A' ? 'B' : 'A') + symbols.slice(6);
    expect((await api.request('POST', `/v1/budgets/${schoolA}/code-ballots`, { body: { code: typo, ballotId: randomUUID(), ballot: { projects: ['1'] } } })).body).toMatchObject({ status: 400, type: expect.stringContaining('code-mistyped') });
    expect((await api.request('POST', `/v1/budgets/${schoolA}/code-ballots`, { body: { code: 'hello', ballotId: randomUUID(), ballot: { projects: ['1'] } } })).status).toBe(400);
    const twoChoices = await api.request('POST', `/v1/budgets/${schoolA}/code-ballots`, { body: { code: codesA[2]!.code, ballotId: randomUUID(), ballot: { projects: ['1', '2'] } } });
    expect(twoChoices.body.type).toContain('too-many-projects');

    // One code, ten different ballots at once: one is counted.
    const race = await Promise.all(Array.from({ length: 10 }, () => {
      const body = { code: codesA[2]!.code, ballotId: randomUUID(), ballot: { projects: ['2'] } };
      return retrying(() => api.request('POST', `/v1/budgets/${schoolA}/code-ballots`, { body }));
    }));
    expect(race.filter((r) => r.status === 201 || r.status === 200)).toHaveLength(1);
    expect(race.filter((r) => r.status === 409)).toHaveLength(9);
    expect((await api.request('GET', `/v1/budgets/${schoolA}/codes`, { token: admin })).body).toMatchObject({ issued: 120, used: 3 });
    expect(await shardItems(schoolA, 'BALLOTS')).toHaveLength(3);
    expect(await shardItems(schoolB, 'BALLOTS')).toHaveLength(0);

    await setPhase(schoolA, 'results');
    const results = await api.request('GET', `/v1/council/budgets/${schoolA}/results`, { token: await council() });
    expect(results.body).toMatchObject({ winners: ['2', '1'], ballots: { total: 3, code: 3 } });
  });
});
