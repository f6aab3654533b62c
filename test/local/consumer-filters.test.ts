import { describe, expect, it } from 'vitest';
import { createRecordFilter } from '../../local/filter-pattern.ts';
import { budgetKeys } from '#shared/data/budgets.ts';
import { registryKey } from '#shared/data/communities.ts';
import { consultationKeys } from '#shared/data/consultations.ts';
import { keys } from '#shared/data/keys.ts';
import { notifyKeys } from '#shared/data/notifications.ts';
import { auditPartition } from '#shared/data/audit.ts';
import { sentMarkerKey } from '#shared/mail/send-once.ts';
import { streamConsumers, type StreamConsumerName } from '#shared/streams/consumers.ts';

/**
 * The stream filters and the key builders agree: every kind of item the table holds, built by the
 * same functions the data layer writes with, and for each consumer exactly the kinds (and events)
 * it exists for. A new item kind whose key happens to start like another's, or a filter that
 * loses a kind, fails here by name — not in AWS, where a filtered-out record is silently dropped.
 */
const sub = '6f1b2c1e-93a4-4c57-9a43-0d1f5a1b7e21';
const id = 'a3c9e5d2-0b7f-4d8e-9c61-2f4e8a9b0c13';
const items: Record<string, { pk: string; sk: string }> = {
  petition: keys.petition(id),
  petitionCount: keys.petitionCount(id),
  answered: keys.answered(id),
  signature: keys.signature(sub, id),
  petitionAuthored: keys.authored(sub, id),
  countCheckpoint: keys.countCheckpoint(id, 'shardId-00000001700000000000-abcdef01'),
  countHistory: keys.countHistory(id, '2026-11-30T10'),
  alert: keys.alert(id, 500),
  petitionClosed: keys.petitionClosed(id),
  closingWatermark: keys.closingWatermark('ternopil'),
  awaiting: keys.awaiting(id),
  community: keys.community('ternopil'),
  communityRegistry: registryKey,
  rateLimit: keys.rateLimit(sub, 'petition', '2026-11-30'),
  audit: { pk: auditPartition('ternopil'), sk: `2026-11-30T10:00:00.000Z#${id}` },
  consultation: consultationKeys.consultation(id),
  consultationResults: consultationKeys.frozenResults(id),
  consultationResponse: consultationKeys.response(id, 'pseudonym'),
  comment: consultationKeys.contribution('comment', id, id),
  proposal: consultationKeys.contribution('proposal', id, id),
  contributionAuthored: consultationKeys.authored(sub, 'proposal', id, id),
  stance: consultationKeys.stance(id, 'pseudonym'),
  contributionReport: consultationKeys.contributionReport('comment', id, 'pseudonym'),
  budget: budgetKeys.budget(id),
  budgetResults: budgetKeys.results(id),
  project: budgetKeys.project(id, '7'),
  preSupport: budgetKeys.support(sub, id, '7'),
  projectAuthored: budgetKeys.authored(sub, id, '7'),
  voter: budgetKeys.voter(id, 'voter-hmac'),
  ballot: budgetKeys.ballot(id, 'R7K2M9', id),
  importedBallot: budgetKeys.importedBallot(id, 'voter-17'),
  code: budgetKeys.code(id, 'code-hash'),
  contact: notifyKeys.contact(sub),
  watch: notifyKeys.watch('petition', id, sub),
  watchMirror: notifyKeys.watchMirror('petition', id, sub),
  job: notifyKeys.job(`petition-response#${id}`),
  outbox: notifyKeys.outbox(`petition-response#${id}`, sub),
  sentMarker: sentMarkerKey(`petition-response#${id}`, 'olena@example.org'),
};
type ItemKind = keyof typeof items;
type StreamEvent = 'INSERT' | 'MODIFY' | 'REMOVE';
const ALL: StreamEvent[] = ['INSERT', 'MODIFY', 'REMOVE'];

/** What each consumer must receive: item kinds and the events of each; nothing else. */
const expected: Record<StreamConsumerName, Partial<Record<ItemKind, StreamEvent[]>>> = {
  signatureCounter: { signature: ALL },
  alertNotifier: { alert: ['INSERT'] },
  // A project's changes only with a review in its new image: see the images test below.
  notificationEvents: { petition: ALL, consultation: ALL, alert: ['INSERT'], petitionClosed: ['INSERT'], budget: ['MODIFY'] },
  notificationFanOut: { job: ALL },
  notificationSender: { outbox: ['INSERT'] },
  searchIndexer: { petition: ALL, consultation: ALL, project: ALL, community: ALL },
  openDataPublisher: { petition: ALL, petitionCount: ALL, consultation: ALL, countHistory: ALL },
};

describe('stream filters against the key builders', () => {
  for (const [name, consumer] of Object.entries(streamConsumers) as [StreamConsumerName, (typeof streamConsumers)[StreamConsumerName]][]) {
    it(`${name} receives exactly the items it is for`, () => {
      const accepts = createRecordFilter(consumer.filterPatterns);
      const received: string[] = [];
      for (const [kind, key] of Object.entries(items)) {
        for (const eventName of ALL) {
          if (accepts({ eventName, dynamodb: { Keys: { pk: { S: key.pk }, sk: { S: key.sk } } } })) received.push(`${kind} ${eventName}`);
        }
      }
      const wanted = Object.entries(expected[name]).flatMap(([kind, events]) => events!.map((event) => `${kind} ${event}`));
      expect(received.sort()).toEqual(wanted.sort());
    });
  }

  it('notificationEvents gets a project\'s change once it has a review (its review, a changed decision, implementation updates), not each support counted before', () => {
    const accepts = createRecordFilter(streamConsumers.notificationEvents.filterPatterns);
    const key = budgetKeys.project(id, '7');
    const Keys = { pk: { S: key.pk }, sk: { S: key.sk } };
    const review = { M: { feasible: { BOOL: true }, reason: { S: 'Можна виконати.' }, finalCost: { N: '150000' }, reviewedAt: { S: '2027-03-10T09:00:00.000Z' } } };
    const image = (extra: Record<string, unknown>) => ({ pk: Keys.pk, sk: Keys.sk, title: { S: 'Лавки' }, supportCount: { N: '12' }, ...extra });
    // Reviewed now, or reviewed again: through.
    expect(accepts({ eventName: 'MODIFY', dynamodb: { Keys, OldImage: image({ review: { NULL: true } }), NewImage: image({ review }) } })).toBe(true);
    expect(accepts({ eventName: 'MODIFY', dynamodb: { Keys, OldImage: image({ review }), NewImage: image({ review, implementation: { M: { status: { S: 'planned' } } } }) } })).toBe(true);
    // A support counted on an unreviewed project (the pre-support phase): not through.
    expect(accepts({ eventName: 'MODIFY', dynamodb: { Keys, OldImage: image({ review: { NULL: true } }), NewImage: image({ review: { NULL: true }, supportCount: { N: '13' } }) } })).toBe(false);
    // A project submitted or imported (INSERT), or removed: not through, reviewed or not.
    expect(accepts({ eventName: 'INSERT', dynamodb: { Keys, NewImage: image({ review }) } })).toBe(false);
    expect(accepts({ eventName: 'REMOVE', dynamodb: { Keys, OldImage: image({ review }) } })).toBe(false);
  });

  it('the catalogue has one key per kind (no two kinds share a key)', () => {
    const seen = new Set(Object.values(items).map((k) => `${k.pk}|${k.sk}`));
    expect(seen.size).toBe(Object.keys(items).length);
  });
});
