import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetKeys } from '#shared/data/budgets.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { ternopil, type CommunityConfig } from '#shared/domain/community.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

const town: CommunityConfig = { ...ternopil, id: 'budget-town' };
const DAY = 86_400_000;
let api: TestSystem;
let db: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  api = await startTestSystem({ communities: [town] });
  db = createDocumentClient(api.dynamoEndpoint);
});
afterAll(async () => {
  await api?.stop();
  db.destroy();
});

/** Phase starts around now: `current` started 5 minutes ago, the next ones start a day apart. */
function schedule(current: number) {
  const keys = ['submission', 'preSupport', 'review', 'voting', 'results', 'implementation'];
  const now = Date.now();
  const out: Record<string, string | null> = {};
  keys.forEach((key, i) => {
    out[key] = new Date(i <= current ? now + (i - current) * DAY - 5 * 60_000 : now + (i - current) * DAY).toISOString();
  });
  out.preSupport = null;
  return out;
}

async function budget(title: string) {
  const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'], community: town.id });
  const res = await api.request('POST', '/v1/budgets', {
    token: council,
    body: {
      kind: 'public', title, money: { total: 1000 }, schedule: schedule(0), preSupport: { required: 0 },
      ballotRules: { type: 'approval', projects: { min: 1, max: 2 } }, rule: { name: 'greedy', rankBy: 'votes' },
    },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('budgets by phase', () => {
  it('filters by the phase now, with counts per phase', async () => {
    const submission = await budget('Бюджет у фазі подання');
    const voting = await budget('Бюджет у фазі голосування');
    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: budgetKeys.budget(voting),
      UpdateExpression: 'SET schedule = :s', ExpressionAttributeValues: { ':s': schedule(3) },
    }));
    const inVoting = await api.request('GET', `/v1/budgets?community=${town.id}&phase=voting`);
    expect(inVoting.status).toBe(200);
    expect(inVoting.body.items.map((b: { id: string }) => b.id)).toEqual([voting]);
    expect(inVoting.body.counts).toMatchObject({ submission: 1, voting: 1, review: 0 });
    const inSubmission = await api.request('GET', `/v1/budgets?community=${town.id}&phase=submission`);
    expect(inSubmission.body.items.map((b: { id: string }) => b.id)).toEqual([submission]);
    const all = await api.request('GET', `/v1/budgets?community=${town.id}`);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.counts).toMatchObject({ submission: 1, voting: 1 });
    expect((await api.request('GET', `/v1/budgets?community=${town.id}&phase=later`)).status).toBe(400);
    // A phase listing is one page: a cursor there was never issued and is refused, not ignored.
    const withCursor = await api.request('GET', `/v1/budgets?community=${town.id}&phase=voting&cursor=MA.k1.`);
    expect(withCursor.status).toBe(400);
    expect(withCursor.text).toContain('cursor');
  });
});
