/**
 * Issue 13, budgets and consultations: who asked (a follow, `notify` on the ballot, `notify` when
 * answering) hears of a budget's results, its winners' implementation, a consultation's report:
 * exactly one message per person and event, in their language. And a ballot cannot be linked to
 * the voter's wish to hear. On DynamoDB Local and the local SMTP server, through the real stream
 * consumers (events -> fan-out -> sender).
 */
import { randomUUID } from 'node:crypto';
import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { consultationKeys } from '#shared/data/consultations.ts';
import { ternopil } from '#shared/domain/community.ts';
import { receiptOf } from '#shared/domain/budget-process/secrecy.ts';
import { budgetScheduleAt, setBudgetPhase, type BudgetPhase } from '../support/budget-schedule.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let api: TestSystem;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  api = await startTestSystem({ communities: [ternopil] });
  db = createDocumentClient(api.dynamoEndpoint);
});
afterAll(async () => {
  await api?.stop();
  db.destroy();
});

const DAY = 86_400_000;
const scheduleAt = (phase: BudgetPhase) => budgetScheduleAt(phase);
const setPhase = (id: string, phase: BudgetPhase) => setBudgetPhase(db, api.tableName, id, phase);

const council = () => api.token({ sub: `council-${randomUUID()}`, roles: ['council'] });
const nationalId = () => String(Math.floor(1e9 + Math.random() * 9e9));
const email = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;
const mailOf = (address: string) => api.mail.messages(address);

/** A public budget in voting: projects 1, 2, 3 (100 each) admitted, 200 to spend, greedy by votes. */
async function budgetInVoting(title: string) {
  const created = await api.request('POST', '/v1/budgets', {
    token: await council(),
    body: {
      kind: 'public', title,
      money: { total: 200 }, schedule: scheduleAt('submission'), preSupport: { required: 0 },
      ballotRules: { type: 'approval', projects: { min: 1, max: 2 } }, rule: { name: 'greedy', rankBy: 'votes' },
    },
  });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  const author = await api.token({ nationalId: nationalId() });
  for (const projectTitle of ['Лавки в парку', 'Ліхтарі на Руській', 'Дерева на Дружбі']) {
    const res = await api.request('POST', `/v1/budgets/${id}/projects`, { token: author, body: { title: projectTitle, description: 'Опис проєкту для мешканців мікрорайону.', cost: 100 } });
    expect(res.status, res.text).toBe(201);
  }
  await setPhase(id, 'review');
  const reviewer = await council();
  for (const projectId of ['1', '2', '3']) {
    const res = await api.request('POST', `/v1/budgets/${id}/projects/${projectId}/review`, { token: reviewer, body: { feasible: true, reason: 'Можна виконати.', finalCost: 100 } });
    expect(res.status, res.text).toBe(200);
  }
  await setPhase(id, 'voting');
  return id;
}

async function allItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: api.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
const itemKey = (item: Record<string, unknown>) => `${String(item.pk)}|${String(item.sk)}`;

/** Every string a value holds (keys and values of objects, list members), recursively. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsOf(v)]);
  return [];
}

describe('budgets: who asked hears of the results and the winners, once each, in their language', () => {
  it('followers and voters who asked on their ballot; not a voter who did not ask, nor one who unfollowed', async () => {
    const id = await budgetInVoting('Бюджет участі: мікрорайон Дружба');
    const person = async (name: string, lang: 'uk' | 'en', withEmail = true) => {
      const address = email(name);
      const token = await api.token({ nationalId: nationalId(), ...(withEmail ? { email: address } : {}) });
      return { address, token, headers: { 'accept-language': lang === 'en' ? 'en-GB,en;q=0.9' : 'uk-UA,uk;q=0.9' }, lang };
    };
    const vote = (p: { token: string; headers: Record<string, string> }, projects: string[], notify?: boolean) =>
      api.request('POST', `/v1/budgets/${id}/ballots`, { token: p.token, headers: p.headers, body: { ballotId: randomUUID(), ballot: { projects }, ...(notify === undefined ? {} : { notify }) } });

    const askedUk = await person('asked-uk', 'uk');
    const askedEn = await person('asked-en', 'en');
    const both = await person('follows-and-asked', 'uk');
    const follower = await person('follower-en', 'en');
    const silent = await person('silent-voter', 'uk');
    const gone = await person('unfollowed', 'uk');
    const noEmail = await person('no-email', 'uk', false);

    expect((await api.request('PUT', `/v1/budgets/${id}/follow`, { token: follower.token, headers: follower.headers })).body).toEqual({ following: true });
    expect((await api.request('PUT', `/v1/budgets/${id}/follow`, { token: both.token, headers: both.headers })).body).toEqual({ following: true });
    expect((await api.request('PUT', `/v1/budgets/${id}/follow`, { token: gone.token })).body).toEqual({ following: true });
    expect((await api.request('DELETE', `/v1/budgets/${id}/follow`, { token: gone.token })).body).toEqual({ following: false });
    expect((await api.request('PUT', `/v1/budgets/${randomUUID()}/follow`, { token: follower.token })).status).toBe(404);
    expect((await api.request('PUT', `/v1/budgets/${id}/follow`, { token: noEmail.token })).status).toBe(422);

    expect((await vote(askedUk, ['1', '3'], true)).status).toBe(201);
    expect((await vote(askedEn, ['1'], true)).status).toBe(201);
    expect((await vote(both, ['3'], true)).status).toBe(201);
    expect((await vote(silent, ['3'], false)).status).toBe(201);
    expect((await vote(gone, ['2'])).status).toBe(201);
    // No address to write to: refused before anything is stored, so the person can still vote.
    const refused = await vote(noEmail, ['1'], true);
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toContain('не має адреси електронної пошти');
    expect((await vote(noEmail, ['1'])).status).toBe(201);
    expect((await api.request('POST', `/v1/budgets/${id}/ballots`, { token: askedUk.token, body: { ballotId: randomUUID(), ballot: { projects: ['1'] }, notify: 'yes' } })).status).toBe(400);

    await setPhase(id, 'results');
    const published = await api.request('POST', `/v1/budgets/${id}/results`, { token: await council() });
    expect(published.status, published.text).toBe(201);
    expect(published.body.winners).toEqual(['1', '3']);
    await api.waitForStreams(30_000);

    const resultsSubject = { uk: 'Оголошено результати бюджету участі: Бюджет участі: мікрорайон Дружба', en: 'Participatory budget results are published: Бюджет участі: мікрорайон Дружба' };
    for (const p of [askedUk, askedEn, both, follower]) expect(mailOf(p.address).map((m) => m.subject), p.address).toEqual([resultsSubject[p.lang]]);
    for (const p of [silent, gone, noEmail]) expect(mailOf(p.address), p.address).toEqual([]);
    expect(mailOf(askedEn.address)[0]!.text).toContain(`${api.url}/budgets/${id}`);
    expect(mailOf(askedUk.address)[0]!.text).toContain('Перемогли проєкти: «Лавки в парку» і «Дерева на Дружбі».');
    expect(mailOf(askedEn.address)[0]!.text).toContain('The winning projects: "Лавки в парку" and "Дерева на Дружбі".');
    expect(mailOf(askedEn.address)[0]!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

    // The winners' implementation: each update is one message to the same people.
    const staff = await council();
    const update = await api.request('PUT', `/v1/budgets/${id}/projects/1/implementation`, { token: staff, body: { status: 'in-progress', progress: 30, note: 'Договір підписано.' } });
    expect(update.status, update.text).toBe(200);
    await api.waitForStreams(30_000);
    const done = await api.request('PUT', `/v1/budgets/${id}/projects/1/implementation`, { token: staff, body: { status: 'completed', progress: 100 } });
    expect(done.status, done.text).toBe(200);
    await api.waitForStreams(30_000);

    const implementationSubject = { uk: 'Новини реалізації проєкту: Лавки в парку', en: 'Implementation news of a project: Лавки в парку' };
    for (const p of [askedUk, askedEn, both, follower]) {
      const mails = mailOf(p.address);
      expect(mails.map((m) => m.subject), p.address).toEqual([resultsSubject[p.lang], implementationSubject[p.lang], implementationSubject[p.lang]]);
    }
    const [, first, second] = mailOf(askedUk.address);
    expect(first!.text).toMatch(/«Лавки в парку»: виконується, готовність 30\s?%\./);
    expect(first!.text).toContain('Коментар ради: Договір підписано.');
    expect(second!.text).toMatch(/виконано, готовність 100\s?%\./);
    expect(mailOf(askedEn.address)[2]!.text).toContain('completed, 100% done.');
    for (const p of [silent, gone, noEmail]) expect(mailOf(p.address), p.address).toEqual([]);

    // The export shows the person what they follow; the voter's wish is that follow.
    expect((await api.request('GET', '/v1/me/data', { token: askedUk.token })).body.following).toEqual([{ type: 'budget', id }]);
    expect((await api.request('GET', '/v1/me/following', { token: askedUk.token })).body).toEqual({ items: [{ type: 'budget', id }] });
    expect((await api.request('GET', '/v1/me/following', { token: silent.token })).body).toEqual({ items: [] });
  }, 180_000);
});

describe('a ballot cannot be linked to the wish to hear', () => {
  it('reads every item the vote wrote: the wish shares no key, id, receipt, sort key or time with the ballot or the marker', async () => {
    const id = await budgetInVoting('Бюджет участі: перевірка таємниці');
    const voterSub = `voter-${randomUUID()}`;
    const voter = await api.token({ sub: voterSub, nationalId: nationalId(), email: email('secret') });
    // Someone who never votes follows with the button: the voter's wish must look exactly like this.
    const followerSub = `follower-${randomUUID()}`;
    const follower = await api.token({ sub: followerSub, email: email('button') });
    await api.request('PUT', `/v1/budgets/${id}/follow`, { token: follower, headers: { 'accept-language': 'uk' } });
    await api.waitForStreams(30_000);

    const before = new Map((await allItems()).map((item) => [itemKey(item), item]));
    const ballotId = randomUUID();
    const startedAt = Date.now();
    const cast = await api.request('POST', `/v1/budgets/${id}/ballots`, { token: voter, headers: { 'accept-language': 'uk' }, body: { ballotId, ballot: { projects: ['2', '3'] }, notify: true } });
    const endedAt = Date.now();
    expect(cast.status, cast.text).toBe(201);
    await api.waitForStreams(30_000);
    const written = (await allItems()).filter((item) => !before.has(itemKey(item)));

    // Exactly: the voter marker, the ballot, and the wish (the follow, its mirror, the contact).
    const byType = (type: string) => written.filter((item) => item.type === type);
    expect(written.map((item) => item.type).sort()).toEqual(['budget-ballot', 'budget-voter', 'notify-contact', 'notify-watch', 'notify-watch-mirror']);
    const ballot = byType('budget-ballot')[0]!;
    const marker = byType('budget-voter')[0]!;
    const wish = [...byType('notify-watch'), ...byType('notify-watch-mirror'), ...byType('notify-contact')];
    expect(ballot.receipt).toBe(receiptOf(ballotId));

    // Nothing of the ballot or the marker (ids, receipt, keys, the marker's key hash) is in the wish.
    const secret = new Set([ballotId, ballotId.toLowerCase(), String(ballot.receipt), String(ballot.pk), String(ballot.sk), String(marker.pk), String(marker.sk), String(marker.sk).slice('VOTER#'.length)]);
    for (const item of wish) {
      for (const value of stringsOf(item)) {
        for (const s of secret) expect(value.includes(s), `${itemKey(item)} holds ${s}`).toBe(false);
      }
    }
    // Nor the other way round: the ballot and the marker hold nothing of the person.
    for (const value of [...stringsOf(ballot), ...stringsOf(marker)]) expect(value.includes(voterSub)).toBe(false);

    // No time to the ms (or second) on any item the vote wrote: at most the day.
    const isoTime = /^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;
    for (const item of written) {
      for (const value of stringsOf(item)) {
        const time = isoTime.exec(value);
        if (time) expect(value.slice(10), `${itemKey(item)}: ${value}`).toBe('T00:00:00.000Z');
        if (/^\d{12,13}$/.test(value)) {
          const n = Number(value);
          expect(n >= startedAt - 5_000 && n <= endedAt + 5_000, `${itemKey(item)} holds an epoch time ${value}`).toBe(false);
        }
      }
    }

    // The wish is byte for byte a follow made with the button: nothing tells a voter's wish apart.
    // (The shard of a watch item comes from the person's sub, like the signer list's.)
    const shardless = (json: string) => json.replace(/(WATCH#budget#[0-9a-f-]+)#\d{2}"/, '$1#<shard>"');
    const swap = (item: Record<string, unknown>) => JSON.parse(shardless(JSON.stringify(item).replaceAll(voterSub, '<sub>'))) as unknown;
    const buttonItems = [...before.values()].filter((item) => stringsOf(item).some((v) => v.includes(followerSub)) && String(item.type).startsWith('notify-watch'));
    const asButton = (item: Record<string, unknown>) => JSON.parse(shardless(JSON.stringify(item).replaceAll(followerSub, '<sub>'))) as unknown;
    expect(byType('notify-watch').map(swap).concat(byType('notify-watch-mirror').map(swap)).map((x) => JSON.stringify(x)).sort())
      .toEqual(buttonItems.map(asButton).map((x) => JSON.stringify(x)).sort());
    // The watch item itself: its keys, its type, nothing else.
    expect(Object.keys(byType('notify-watch')[0]!).sort()).toEqual(['pk', 'sk', 'type']);

    // Sort order says nothing either: the wish sorts by the person, the ballot by its receipt.
    expect(String(byType('notify-watch')[0]!.sk)).toBe(voterSub);
    expect(String(ballot.sk).startsWith(`BALLOT#${receiptOf(ballotId)}#`)).toBe(true);
  }, 120_000);
});

describe('consultations: participants who asked hear of the report', () => {
  it('answering with notify follows; answering without does not; one message each, in their language', async () => {
    const staff = await council();
    const created = await api.request('POST', '/v1/consultations', {
      token: staff,
      body: {
        title: 'Зупинки громадського транспорту',
        opensAt: new Date(Date.now() - 3_600_000).toISOString(),
        closesAt: new Date(Date.now() + DAY).toISOString(),
        questions: [{ id: 'support', type: 'single', text: 'Чи підтримуєте?', options: [{ id: 'yes', text: 'Так' }, { id: 'no', text: 'Ні' }] }],
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    const answers = [{ questionId: 'support', optionIds: ['yes'] }];
    const people = [
      { address: email('answer-uk'), lang: 'uk', notify: true },
      { address: email('answer-en'), lang: 'en', notify: true },
      { address: email('answer-quiet'), lang: 'uk', notify: false },
    ] as const;
    const tokens = await Promise.all(people.map((p) => api.token({ email: p.address })));
    for (const [i, p] of people.entries()) {
      const res = await api.request('PUT', `/v1/consultations/${id}/response`, { token: tokens[i]!, headers: { 'accept-language': p.lang }, body: { answers, notify: p.notify } });
      expect(res.status, res.text).toBe(201);
    }
    // Changing one's answers with notify again: still one follow, still one message.
    expect((await api.request('PUT', `/v1/consultations/${id}/response`, { token: tokens[0]!, body: { answers: [{ questionId: 'support', optionIds: ['no'] }], notify: true } })).status).toBe(200);
    // No address: refused, nothing stored.
    const noAddress = await api.token({});
    const refused = await api.request('PUT', `/v1/consultations/${id}/response`, { token: noAddress, body: { answers, notify: true } });
    expect(refused.status).toBe(422);
    expect((await api.request('GET', `/v1/consultations/${id}/response`, { token: noAddress })).status).toBe(404);

    await db.send(new UpdateCommand({
      TableName: api.tableName, Key: consultationKeys.consultation(id),
      UpdateExpression: 'SET closesAt = :past', ExpressionAttributeValues: { ':past': new Date(Date.now() - 2 * 60_000).toISOString() },
    }));
    const reported = await api.request('POST', `/v1/consultations/${id}/report`, { token: staff, body: { summary: 'Рада врахувала результати консультації.' } });
    expect(reported.status, reported.text).toBe(201);
    await api.waitForStreams(30_000);
    expect(mailOf(people[0].address).map((m) => m.subject)).toEqual(['Опубліковано звіт консультації: Зупинки громадського транспорту']);
    expect(mailOf(people[1].address).map((m) => m.subject)).toEqual(['The consultation report is published: Зупинки громадського транспорту']);
    expect(mailOf(people[2].address)).toEqual([]);
  }, 120_000);
});
