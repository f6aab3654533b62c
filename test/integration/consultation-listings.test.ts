import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { consultationKeys } from '#shared/data/consultations.ts';
import { ternopil, type CommunityConfig } from '#shared/domain/community.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

const town: CommunityConfig = { ...ternopil, id: 'consult-town' };
const hour = 3_600_000;
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

async function consultation(title: string, opensInHours: number) {
  const council = await api.token({ sub: `council-${randomUUID()}`, roles: ['council'], community: town.id });
  const created = await api.request('POST', '/v1/consultations', {
    token: council,
    body: {
      title,
      opensAt: new Date(Date.now() + opensInHours * hour).toISOString(),
      closesAt: new Date(Date.now() + (opensInHours + 24) * hour).toISOString(),
      questions: [{ id: 'q', type: 'single', text: 'Так чи ні?', options: [{ id: 'y', text: 'Так' }, { id: 'n', text: 'Ні' }] }],
    },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('consultations by state', () => {
  it('upcoming, open and closed, with counts on the first page', async () => {
    const upcoming = await consultation('Майбутнє опитування про парк', 48);
    const open = await consultation('Відкрите опитування про сквер', -1);
    const closed = await consultation('Закрите опитування про площу', -2);
    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: consultationKeys.consultation(closed),
      UpdateExpression: 'SET closesAt = :past', ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
    }));
    const list = async (status?: string) => (await api.request('GET', `/v1/consultations?community=${town.id}${status ? `&status=${status}` : ''}`)).body;
    expect((await list('upcoming')).items.map((c: { id: string }) => c.id)).toEqual([upcoming]);
    expect((await list('open')).items.map((c: { id: string }) => c.id)).toEqual([open]);
    expect((await list('closed')).items.map((c: { id: string }) => c.id)).toEqual([closed]);
    const all = await list();
    expect(all.items.map((c: { id: string }) => c.id)).toEqual([upcoming, open, closed]);
    expect(all.counts).toEqual({ upcoming: 1, open: 1, closed: 1 });
    const page = await api.request('GET', `/v1/consultations?community=${town.id}&limit=1`);
    const second = await api.request('GET', `/v1/consultations?community=${town.id}&limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    expect(second.body.items.map((c: { id: string }) => c.id)).toEqual([open]);
    expect(second.body.counts).toBeNull();
    expect((await api.request('GET', `/v1/consultations?community=${town.id}&status=ongoing`)).status).toBe(400);
  });
});
