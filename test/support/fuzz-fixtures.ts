/**
 * Real objects for the security tests to aim at, so that requests reach past "no such thing" into
 * the handlers' logic: petitions in each state, an open consultation with a comment and a proposal.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '#shared/auth/roles.ts';
import { roles } from '#shared/auth/roles.ts';
import type { TestSystem } from './system.ts';

export interface Fixtures {
  tokens: Record<Role, string>;
  subs: Record<Role, string>;
  petitions: { open: string; moderation: string; draft: string };
  consultation: string;
  comment: string;
  proposal: string;
  /** Every id above, for path parameters. */
  ids: Record<'id' | 'proposalId' | 'commentId', string[]>;
}

const hour = 3_600_000;

export async function createFixtures(api: TestSystem, community = 'ternopil'): Promise<Fixtures> {
  const subs = Object.fromEntries(roles.map((role) => [role, `fixture-${role}-${randomUUID()}`])) as Record<Role, string>;
  const tokens = Object.fromEntries(
    await Promise.all(roles.map(async (role) => [role, await api.token({ sub: subs[role], roles: [role], community, name: `Fixture ${role}` })])),
  ) as Record<Role, string>;
  const expect = (what: string, response: { status: number; text: string }, status: number) => {
    if (response.status !== status) throw new Error(`fixture ${what}: ${response.status} ${response.text}`);
  };

  const author = await api.token({ sub: `fixture-author-${randomUUID()}`, community });
  const create = async (title: string, draft = false) => {
    const created = await api.request('POST', '/v1/petitions', {
      token: author,
      body: { title, text: 'Текст петиції для перевірок безпеки, достатньо довгий.', ...(draft ? { draft: true } : {}) },
    });
    expect('petition', created, 201);
    return created.body.id as string;
  };
  const open = await create('Відкрита петиція для перевірок');
  expect('publish', await api.request('POST', `/v1/petitions/${open}/moderation`, { token: tokens.moderator, body: { decision: 'publish' } }), 200);
  const moderation = await create('Петиція на модерації для перевірок');
  const draft = await create('Чернетка петиції для перевірок', true);

  const consultationResponse = await api.request('POST', '/v1/consultations', {
    token: tokens.council,
    body: {
      title: 'Консультація для перевірок',
      draftText: 'Проєкт рішення, винесений на громадське обговорення.',
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + 24 * hour).toISOString(),
      resultsVisibility: 'live',
      questions: [
        { id: 'support', type: 'single', text: 'Чи підтримуєте?', options: [{ id: 'yes', text: 'Так' }, { id: 'no', text: 'Ні' }] },
        { id: 'ideas', type: 'open', text: 'Ваші ідеї?', required: false },
      ],
    },
  });
  expect('consultation', consultationResponse, 201);
  const consultation = consultationResponse.body.id as string;
  const comment = await api.request('POST', `/v1/consultations/${consultation}/comments`, { token: tokens.citizen, body: { text: 'Коментар для перевірок' } });
  expect('comment', comment, 201);
  const proposal = await api.request('POST', `/v1/consultations/${consultation}/proposals`, {
    token: tokens.citizen,
    body: { title: 'Пропозиція для перевірок', text: 'Текст пропозиції, достатньо довгий для правил.' },
  });
  expect('proposal', proposal, 201);

  return {
    tokens,
    subs,
    petitions: { open, moderation, draft },
    consultation,
    comment: comment.body.id as string,
    proposal: proposal.body.id as string,
    ids: { id: [open, moderation, draft, consultation], proposalId: [proposal.body.id as string], commentId: [comment.body.id as string] },
  };
}
