/**
 * The logs carry no personal data and no credentials.
 *
 * Everything the process writes (process.stdout/stderr, which Powertools Logger writes to, and
 * console.*, which the gateway and stream consumers use) is captured while a whole flow runs at
 * log level INFO: a petition created, moderated, signed by named citizens with birth dates,
 * answered by the council; a consultation answered; the public signer list read; the citizen's
 * own data exported; and refused requests whose bad input holds an e-mail address and a name.
 * No captured line may contain a citizen's sub, name, birth date or e-mail, a bearer token or any
 * 16-character piece of its signature, the petition's text, an open answer, or a signer's name.
 */
import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ternopil, type CommunityConfig } from '#shared/domain/community.ts';
import { routes } from '#shared/http/routes.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

/** Ternopil's rules with a threshold of 3, so the flow crosses it and the alert path runs too. */
const community: CommunityConfig = {
  ...ternopil,
  id: 'log-check',
  petitions: { ...ternopil.petitions, thresholds: [{ signatures: 3, purpose: 'council-consideration' }] },
};

/**
 * The process's own streams are wrapped before any module is imported (vi.hoisted): the one logger
 * (shared/observability.ts) is made at import, and its console keeps the stream's write it saw
 * then. Outside the capture, writes go through as usual.
 */
const streams = vi.hoisted(() => {
  // The logger's level is read from the environment when it is made (and restored to it on each invocation).
  process.env.LOG_LEVEL = 'INFO';
  const captured: string[] = [];
  let capturing = false;
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (!capturing) return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
  return { captured, set: (on: boolean) => { capturing = on; } };
});
const captured = streams.captured;
const restorers: (() => void)[] = [];

function capture(): void {
  streams.set(true);
  restorers.push(() => streams.set(false));
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const spy = vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      // One call, one line (as the console would print it).
      captured.push(`${format(...args)}\n`);
    });
    restorers.push(() => spy.mockRestore());
  }
}

function release(): void {
  for (const restore of restorers.splice(0).reverse()) restore();
}

/** Captured output, one entry per line. */
const lines = () => captured.join('').split('\n').filter((line) => line.trim() !== '');

let api: TestSystem;
const previousLogLevel = process.env.LOG_LEVEL;

const unique = randomUUID().slice(0, 8);
const citizen = {
  sub: `bankid-${randomUUID()}`,
  name: `Оксана Приватна-${unique}`,
  birthdate: '1987-03-14',
  email: `oksana.pryvatna.${unique}@example.org`,
};
const otherSigners = [
  { sub: `bankid-${randomUUID()}`, name: `Богдан Таємний-${unique}`, birthdate: '1979-11-02' },
  { sub: `bankid-${randomUUID()}`, name: `Ірина Непублічна-${unique}`, birthdate: '2001-07-30' },
];
const petitionText = `Просимо встановити двадцять лавок біля будинку на вулиці Руській, код ${unique}-petition-text.`;
const openAnswer = `Моя відповідь ${unique}-open-answer: телефонуйте мені, ${citizen.name}.`;
const tokens: string[] = [];
const signerNamesSeen: string[] = [];

beforeAll(async () => {
  // Before startTestSystem: the handler modules (and their logger) are imported on the first request.
  process.env.LOG_LEVEL = 'INFO';
  capture();
  try {
    api = await startTestSystem({ communities: [community] });
  } catch (error) {
    release();
    throw error;
  }
});
afterAll(async () => {
  release();
  await api?.stop();
  if (previousLogLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = previousLogLevel;
});

async function token(claims: Parameters<TestSystem['token']>[0]): Promise<string> {
  const minted = await api.token({ community: community.id, ...claims });
  tokens.push(minted);
  return minted;
}

describe('logs', () => {
  it('a whole flow, with failures carrying personal data, logs none of it', async () => {
    const me = await token({ sub: citizen.sub, name: citizen.name, birthdate: citizen.birthdate, email: citizen.email });
    const moderator = await token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'] });
    const council = await token({ sub: `council-${randomUUID()}`, roles: ['council'] });
    const ok = (response: { status: number; text: string }, status: number) => expect(response.status, response.text).toBe(status);

    // Notifications: the citizen asks to hear (their e-mail is stored and mailed, never logged).
    ok(await api.request('PUT', '/v1/me/notifications', { token: me, body: { language: 'uk', kinds: ['own', 'followed'] } }), 200);
    // Petition: created, published, signed by three named people (crossing the threshold), answered.
    const created = await api.request('POST', '/v1/petitions', { token: me, body: { title: 'Лавки біля будинку на Руській', text: petitionText } });
    ok(created, 201);
    const id = created.body.id as string;
    ok(await api.request('POST', `/v1/petitions/${id}/moderation`, { token: moderator, body: { decision: 'publish' } }), 200);
    ok(await api.request('POST', `/v1/petitions/${id}/signatures`, { token: me, body: { notify: true } }), 201);
    ok(await api.request('POST', `/v1/petitions/${id}/signatures`, { token: me }), 200);
    for (const signer of otherSigners) {
      ok(await api.request('POST', `/v1/petitions/${id}/signatures`, { token: await token(signer) }), 201);
    }
    await api.waitForStreams(20_000);
    const signers = await api.request('GET', `/v1/petitions/${id}/signers`);
    ok(signers, 200);
    signerNamesSeen.push(...signers.body.items.map((item: { name: string }) => item.name));
    expect(signerNamesSeen.sort()).toEqual([citizen.name, ...otherSigners.map((s) => s.name)].sort());
    ok(await api.request('GET', '/v1/council/alerts', { token: council }), 200);
    ok(await api.request('POST', `/v1/petitions/${id}/response`, { token: council, body: { decision: 'supported', text: 'Лавки встановлять до кінця року.' } }), 200);
    ok(await api.request('GET', `/v1/petitions/${id}/export?format=csv`), 200);
    await api.waitForStreams(20_000);
    // The mail path ran: published, threshold reached, answered.
    expect(api.mail.messages(citizen.email).length).toBe(3);

    // Consultation: published by the council, answered by the citizen with an open answer.
    const consultation = await api.request('POST', '/v1/consultations', {
      token: council,
      body: {
        title: 'Облаштування скверу',
        opensAt: new Date(Date.now() - 3_600_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        questions: [
          { id: 'support', type: 'single', text: 'Чи підтримуєте?', options: [{ id: 'yes', text: 'Так' }, { id: 'no', text: 'Ні' }] },
          { id: 'ideas', type: 'open', text: 'Ваші ідеї?', required: false },
        ],
      },
    });
    ok(consultation, 201);
    const cid = consultation.body.id as string;
    ok(await api.request('PUT', `/v1/consultations/${cid}/response`, { token: me, body: { answers: [{ questionId: 'support', optionIds: ['yes'] }, { questionId: 'ideas', text: openAnswer }] } }), 201);
    ok(await api.request('GET', `/v1/consultations/${cid}/response`, { token: me }), 200);
    ok(await api.request('POST', `/v1/consultations/${cid}/comments`, { token: me, body: { text: `Коментар від ${citizen.name}, ${citizen.email}` } }), 201);

    // The citizen's own data, where the table has that route.
    if ('exportMyData' in routes) ok(await api.request('GET', '/v1/me/data', { token: me }), 200);

    // Refused requests whose input holds the e-mail address and the name.
    const refusals: [string, string, Parameters<TestSystem['request']>[2]][] = [
      ['POST', '/v1/petitions', { token: me, body: { title: 'Ох', text: `Пише ${citizen.name}, ${citizen.email}, прошу відповісти.` } }],
      ['POST', '/v1/petitions', { token: me, body: { title: `Петиція від ${citizen.name}`, text: `Пишіть на ${citizen.email}\u0000 будь ласка, і так далі.` } }],
      ['POST', '/v1/petitions', { token: me, body: { title: `Петиція від ${citizen.name}`, text: petitionText, email: citizen.email } }],
      ['POST', '/v1/petitions', { token: me, rawBody: `{"title": "${citizen.name}", "text": "${citizen.email}"`, headers: { 'content-type': 'application/json' } }],
      ['POST', '/v1/petitions', { token: me, rawBody: `title=${citizen.name}&email=${citizen.email}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      ['POST', `/v1/petitions/${encodeURIComponent(citizen.email)}/signatures`, { token: me }],
      ['GET', `/v1/petitions?community=${encodeURIComponent(citizen.email)}&name=${encodeURIComponent(citizen.name)}`, {}],
      ['GET', `/v1/petitions/${id}/signers?cursor=${Buffer.from(JSON.stringify({ email: citizen.email })).toString('base64url')}`, {}],
      ['POST', `/v1/petitions/${id}/moderation`, { token: me, body: { decision: 'reject', reasonCode: 'other', explanation: citizen.email } }],
      ['PUT', `/v1/consultations/${cid}/response`, { token: me, body: { answers: [{ questionId: 'support', optionIds: [citizen.email] }] } }],
      ['PUT', `/v1/consultations/${cid}/response`, { token: me, body: { answers: [{ questionId: citizen.name, text: citizen.email }] } }],
      ['POST', `/v1/petitions/${id}/signatures`, { token: await token({ sub: citizen.sub, name: citizen.name, birthdate: citizen.birthdate, expiresIn: -60 }) }],
      ['POST', `/v1/petitions/${id}/signatures`, { headers: { authorization: `Bearer ${me}x` } }],
      ['POST', `/v1/petitions/${id}/signatures`, { token: await token({ sub: `child-${randomUUID()}`, name: `Дитина ${citizen.name}`, birthdate: '2016-01-01' }) }],
    ];
    for (const [method, path, options] of refusals) {
      const response = await api.request(method, path, options);
      expect(response.status, `${method} ${path}: ${response.text}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${method} ${path}: ${response.text}`).toBeLessThan(500);
    }
    // Twice: the counter writes the alert while we wait, then the notifier delivers it.
    await api.waitForStreams(20_000);
    await api.waitForStreams(20_000);

    // The capture is effective: INFO request logs of the handlers were seen.
    const served = lines().filter((line) => line.includes('request served'));
    expect(served.length).toBeGreaterThanOrEqual(10);
    expect(lines().some((line) => line.includes('request refused'))).toBe(true);

    const secrets: [string, string][] = [
      ['sub', citizen.sub],
      ['name', citizen.name],
      ['birth date', citizen.birthdate],
      ['e-mail', citizen.email],
      ['petition text', petitionText],
      ['open answer', openAnswer],
      ...otherSigners.flatMap((signer): [string, string][] => [['signer sub', signer.sub], ['signer name', signer.name], ['signer birth date', signer.birthdate]]),
      ...signerNamesSeen.map((name): [string, string] => ['signer list entry', name]),
    ];
    for (const minted of tokens) {
      const [header, payload, signature] = minted.split('.') as [string, string, string];
      secrets.push(['bearer token', minted], ['token payload', payload], ['token header+payload', `${header}.${payload}`], ['token signature', signature]);
      for (let i = 0; i + 16 <= signature.length; i += 4) secrets.push(['part of a token signature', signature.slice(i, i + 16)]);
    }

    const leaks: string[] = [];
    const all = lines();
    for (const [what, secret] of secrets) {
      const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
      for (const line of all) {
        if ([...forms].some((form) => line.includes(form))) leaks.push(`${what} (${secret.slice(0, 40)}) in: ${line.slice(0, 300)}`);
      }
    }
    expect(leaks, `${leaks.length} leak(s) in ${all.length} captured lines`).toEqual([]);
  });
});
