import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { putCommunity } from '#shared/data/communities.ts';
import { ternopil, ukStyle, type CommunityConfig } from '#shared/domain/community.ts';
import type { CouncilAlert } from '#shared/notify/alert.ts';
import type { DevTokenRequest } from '../../local/dev-auth.ts';
import { startLocalSystem, type LocalSystem } from '../../local/runtime.ts';
import type { StreamConsumer } from '../../local/stream-poller.ts';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface TestSystem extends LocalSystem {
  token(claims: Partial<DevTokenRequest> & { sub?: string }): Promise<string>;
  deliveries(): CouncilAlert[];
  /** What the local SMTP server received for an address (`GET /dev/mail?to=`). */
  mailTo(address: string): Promise<{ to: string; subject: string; text: string; date: string; headers: Record<string, string> }[]>;
  request<T = any>(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
}

/**
 * The whole local system (gateway, handlers, stream consumers) on a fresh table in the run's
 * shared DynamoDB Local, with the demo communities configured.
 */
export async function startTestSystem(options: { consumers?: StreamConsumer[]; communities?: CommunityConfig[] } = {}): Promise<TestSystem> {
  const alertSinkFile = join(mkdtempSync(join(tmpdir(), 'hromada-alerts-')), 'alerts.jsonl');
  const system = await startLocalSystem({
    alertSinkFile,
    port: 0,
    inMemory: true,
    dataDir: '',
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `test-${randomUUID().slice(0, 8)}`,
    ...(options.consumers ? { consumers: options.consumers } : {}),
  });
  const db = createDocumentClient();
  for (const community of options.communities ?? [ternopil, ukStyle]) await putCommunity(db, community);
  db.destroy();

  const token = (claims: Partial<DevTokenRequest>) =>
    system.auth.mint({
      sub: claims.sub ?? `citizen-${randomUUID()}`,
      roles: claims.roles ?? ['citizen'],
      community: claims.community ?? 'ternopil',
      birthdate: 'birthdate' in claims ? claims.birthdate : '1990-01-01',
      ...(claims.name ? { name: claims.name } : {}),
      ...(claims.email ? { email: claims.email } : {}),
      ...(claims.school ? { school: claims.school } : {}),
      ...(claims.nationalId ? { nationalId: claims.nationalId } : {}),
      ...(claims.expiresIn !== undefined ? { expiresIn: claims.expiresIn } : {}),
    });

  async function request(method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(system.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as any, text };
  }

  /** Every delivery the local alert sink received (repeats included). */
  const deliveries = (): CouncilAlert[] =>
    existsSync(alertSinkFile) ? readFileSync(alertSinkFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

  const mailTo = async (address: string) => (await request('GET', `/dev/mail?to=${encodeURIComponent(address)}`)).body.messages;

  return Object.assign(system, { token, request, deliveries, mailTo });
}

/** A citizen, a moderator and a council member of Ternopil, and a petition published for signing. */
export async function openPetition(api: TestSystem, overrides: { community?: string; title?: string } = {}) {
  const community = overrides.community ?? 'ternopil';
  const author = await api.token({ community });
  const moderator = await api.token({ sub: `moderator-${randomUUID()}`, roles: ['moderator'], community });
  const created = await api.request('POST', '/v1/petitions', {
    token: author,
    body: { title: overrides.title ?? 'Більше лавок у парку Шевченка', text: 'Просимо встановити двадцять нових лавок уздовж алей парку.' },
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
  const published = await api.request('POST', `/v1/petitions/${created.body.id}/moderation`, { token: moderator, body: { decision: 'publish' } });
  if (published.status !== 200) throw new Error(`publish failed: ${published.status} ${published.text}`);
  return published.body as { id: string; closesAt: string };
}
