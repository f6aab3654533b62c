import { queryPage } from './query.ts';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Answer } from '../domain/consultations/answers.ts';
import { resultsAreFinal, type Consultation } from '../domain/consultations/consultation.ts';
import { recount, type Contribution, type ContributionKind, type Proposal, type Stance } from '../domain/consultations/contributions.ts';
import { addResponse, emptyTally, resultsOf, type ConsultationResults } from '../domain/consultations/results.ts';
import { problems } from '../http/problem.ts';
import { keys, padCount } from './keys.ts';

import { tableName } from './table.ts';
import { dailyLimitUpdate } from './daily-limit.ts';
import { writeWithAudit, type AuditEntry } from './audit.ts';
import { keyedHash } from '../secrets/key-ring.ts';
import { loadKeyRing } from '../secrets/load-key-ring.ts';
import { backoff } from '../retry.ts';

/**
 * Key design of consultations (one item collection per consultation, plus its responses):
 * - the consultation: pk CONSULTATION#<id>, sk CONSULTATION; listed per community on gsi1
 *   (C#<community>#CONSULTATIONS, by opensAt);
 * - its frozen final results: pk CONSULTATION#<id>, sk RESULTS;
 * - a response: pk CONSULTATION#<id>#RESPONSES, sk RESPONDER#<responder key>. The key is the
 *   uniqueness rule (one response per person), and the responder key is a hash of the person, not
 *   the person: see responderKey. One partition per consultation sustains ~1000 responses a second,
 *   far above what a city's consultation sees; if ever needed, shard it as signatures are sharded;
 * - comments and proposals: pk CONSULTATION#<id>, sk COMMENT#<id> / PROPOSAL#<id>; listed on gsi1
 *   (CONSULTATION#<id>#COMMENTS / #PROPOSALS, by creation time); proposals also on gsi2 by support;
 * - a stance on a proposal: pk PROPOSAL#<proposalId>, sk STANCE#<person key>.
 */
export const consultationKeys = {
  consultation: (id: string) => ({ pk: `CONSULTATION#${id}`, sk: 'CONSULTATION' }),
  listing: (community: string) => `C#${community}#CONSULTATIONS`,
  frozenResults: (id: string) => ({ pk: `CONSULTATION#${id}`, sk: 'RESULTS' }),
  responses: (id: string) => `CONSULTATION#${id}#RESPONSES`,
  response: (id: string, responder: string) => ({ pk: `CONSULTATION#${id}#RESPONSES`, sk: `RESPONDER#${responder}` }),
  contribution: (kind: ContributionKind, consultationId: string, id: string) => ({ pk: `CONSULTATION#${consultationId}`, sk: `${kind.toUpperCase()}#${id}` }),
  /** The author's own index of what they wrote, for their data export (in their PERSON# partition, like signatures). */
  authored: (sub: string, kind: ContributionKind, consultationId: string, id: string) => ({ pk: keys.person(sub), sk: `CONSULTATION-${kind.toUpperCase()}#${consultationId}#${id}` }),
  contributionListing: (kind: ContributionKind, consultationId: string) => `CONSULTATION#${consultationId}#${kind.toUpperCase()}S`,
  stance: (proposalId: string, person: string) => ({ pk: `PROPOSAL#${proposalId}`, sk: `STANCE#${person}` }),
};

/**
 * A person's pseudonym in one scope (a consultation's responses, a proposal's stances): an HMAC of
 * the scope and the person's `sub` under a key of the deployment's key ring. Responses and stances
 * thus carry no identity, neither in the table nor in its stream, backups or exports, and one
 * person's answers to two consultations cannot be joined; yet the person can read back their own
 * response, since the key is computed from their token. Whoever holds the table and the identity
 * provider's list of subs cannot recompute it without the key.
 *
 * The key is the one that was current when the consultation was created (`personKeyId` on its
 * item), for its whole life, so a rotation of the ring never gives a person a second response or
 * stance; it must stay in the ring until the consultation has closed. Consultations stored before
 * key ids existed use the ring's current key.
 */
const personKeyIds = new Map<string, string>();

async function personKeyIdOf(db: DynamoDBDocumentClient, consultationId: string): Promise<string | undefined> {
  const cached = personKeyIds.get(consultationId);
  if (cached) return cached;
  const { Item } = await db.send(new GetCommand({
    TableName: tableName(), Key: consultationKeys.consultation(consultationId), ProjectionExpression: 'personKeyId', ConsistentRead: true,
  }));
  const keyId = typeof Item?.personKeyId === 'string' ? Item.personKeyId : undefined;
  if (keyId) personKeyIds.set(consultationId, keyId);
  return keyId;
}

async function personKey(db: DynamoDBDocumentClient, consultationId: string, scope: string, sub: string): Promise<string> {
  const ring = await loadKeyRing();
  const keyId = (await personKeyIdOf(db, consultationId)) ?? ring.currentId;
  if (!ring.keys.has(keyId)) {
    throw problems.unavailable(`The key this consultation's person keys use (${keyId}) is not in the key ring; it must stay until the consultation has closed.`);
  }
  return keyedHash(ring, scope, sub, keyId);
}

export const responderKey = (db: DynamoDBDocumentClient, consultationId: string, sub: string) =>
  personKey(db, consultationId, `consultation-response:${consultationId}`, sub);
const stanceKey = (db: DynamoDBDocumentClient, proposal: { consultationId: string; id: string }, sub: string) =>
  personKey(db, proposal.consultationId, `proposal-stance:${proposal.id}`, sub);

const consultationFields = [
  'id', 'community', 'createdBy', 'title', 'draftText', 'documents', 'opensAt', 'closesAt', 'eligibility', 'questions',
  'resultsVisibility', 'createdAt', 'report',
] as const satisfies readonly (keyof Consultation)[];

export function consultationFromItem(item: Record<string, unknown>): Consultation {
  return Object.fromEntries(consultationFields.map((field) => [field, item[field] ?? null])) as unknown as Consultation;
}

async function getConsultation(db: DynamoDBDocumentClient, id: string, consistent = false): Promise<Consultation | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: consultationKeys.consultation(id), ConsistentRead: consistent }));
  return Item ? consultationFromItem(Item) : undefined;
}

/**
 * The consultation, or 404. With `ofCommunity` (council and moderators, who act only within their
 * own community), another community's consultation does not exist as far as the caller can tell.
 */
export async function requireConsultation(
  db: DynamoDBDocumentClient,
  id: string,
  options: { ofCommunity?: string; consistent?: boolean } = {},
): Promise<Consultation> {
  const c = await getConsultation(db, id, options.consistent);
  if (!c || (options.ofCommunity !== undefined && c.community !== options.ofCommunity)) {
    throw problems.notFound(options.ofCommunity === undefined ? 'No such consultation.' : 'No such consultation in your community.');
  }
  return c;
}

export async function createConsultation(db: DynamoDBDocumentClient, c: Consultation, audit: AuditEntry): Promise<void> {
  const { currentId } = await loadKeyRing();
  await writeWithAudit(db, [{
    Put: {
      TableName: tableName(),
      Item: { ...consultationKeys.consultation(c.id), type: 'consultation', ...c, personKeyId: currentId, gsi1pk: consultationKeys.listing(c.community), gsi1sk: `${c.opensAt}#${c.id}` },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }], audit);
}

/** Publishes the report, once: a second council member publishing at the same time gets false. */
export async function saveReport(db: DynamoDBDocumentClient, after: Consultation, audit: AuditEntry): Promise<boolean> {
  return writeWithAudit(db, [{
    Update: {
      TableName: tableName(),
      Key: consultationKeys.consultation(after.id),
      UpdateExpression: 'SET #report = :report',
      ConditionExpression: '#report = :null',
      ExpressionAttributeNames: { '#report': 'report' },
      ExpressionAttributeValues: { ':report': after.report, ':null': null },
    },
  }], audit);
}

export interface StoredResponse {
  readonly consultationId: string;
  readonly answers: readonly Answer[];
  readonly submittedAt: string;
  readonly updatedAt: string;
}

const storedResponse = (item: Record<string, unknown>): StoredResponse => ({
  consultationId: String(item.consultationId),
  answers: item.answers as Answer[],
  submittedAt: String(item.submittedAt),
  updatedAt: String(item.updatedAt),
});

/**
 * Stores a person's response, or replaces it: one item per (consultation, person), so retries and
 * races can never make two. The write is conditional on being newer than what is stored, so a
 * delayed older request cannot overwrite a later change; it then returns the newer response.
 * `ALL_OLD` tells a first response (nothing before) from a change, atomically.
 */
export async function saveResponse(
  db: DynamoDBDocumentClient,
  consultationId: string,
  respondentSub: string,
  answers: readonly Answer[],
  now: Date,
): Promise<{ outcome: 'created' | 'changed' | 'superseded'; response: StoredResponse }> {
  const at = now.toISOString();
  const key = consultationKeys.response(consultationId, await responderKey(db, consultationId, respondentSub));
  try {
    const { Attributes } = await db.send(new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET #type = :type, consultationId = :consultationId, answers = :answers, updatedAt = :now, submittedAt = if_not_exists(submittedAt, :now)',
      ConditionExpression: 'attribute_not_exists(pk) OR updatedAt <= :now',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': 'consultation-response', ':consultationId': consultationId, ':answers': answers, ':now': at },
      ReturnValues: 'ALL_OLD',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    const submittedAt = typeof Attributes?.submittedAt === 'string' ? Attributes.submittedAt : at;
    return { outcome: Attributes ? 'changed' : 'created', response: { consultationId, answers, submittedAt, updatedAt: at } };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException && error.Item) return { outcome: 'superseded', response: storedResponse(unmarshall(error.Item)) };
    throw error;
  }
}

export async function getResponse(db: DynamoDBDocumentClient, consultationId: string, respondentSub: string): Promise<StoredResponse | undefined> {
  const { Item } = await db.send(new GetCommand({
    TableName: tableName(),
    Key: consultationKeys.response(consultationId, await responderKey(db, consultationId, respondentSub)),
    ConsistentRead: true,
  }));
  return Item ? storedResponse(Item) : undefined;
}

/**
 * Results, counted by reading every response (1 MB pages, only the answers projected). That costs
 * about one read unit per 8 KB of responses: a few hundred units for 10,000 respondents, which the
 * CDN cache in front of the public route turns into a handful of tallies a minute however many
 * people watch. Once final, the results are frozen into one item (`freeze`), and every later read
 * is a single GetItem that returns the same numbers forever.
 */
export async function consultationResults(
  db: DynamoDBDocumentClient,
  c: Consultation,
  now: Date,
  options: { freeze: boolean },
): Promise<ConsultationResults> {
  const final = resultsAreFinal(c, now);
  if (final) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: consultationKeys.frozenResults(c.id) }));
    if (Item) return Item.results as ConsultationResults;
  }
  const tally = emptyTally(c);
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': consultationKeys.responses(c.id) },
      ProjectionExpression: 'answers',
      ConsistentRead: final,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    for (const item of page.Items ?? []) addResponse(tally, item.answers as Answer[]);
    start = page.LastEvaluatedKey;
  } while (start);
  const results = resultsOf(c, tally, { computedAt: now, final });
  if (final && options.freeze) return freezeResults(db, results);
  return results;
}

/** Stores the final results once; whoever froze them first wins, and everyone gets that copy. */
async function freezeResults(db: DynamoDBDocumentClient, results: ConsultationResults): Promise<ConsultationResults> {
  try {
    await db.send(new PutCommand({
      TableName: tableName(),
      Item: { ...consultationKeys.frozenResults(results.consultationId), type: 'consultation-results', results },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    return results;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException && error.Item) return unmarshall(error.Item).results as ConsultationResults;
    throw error;
  }
}

/**
 * A page of the answers to one open question, for the council. Responses are keyed by a hash, so
 * the order says nothing about who answered or when.
 */
export async function openAnswersPage(db: DynamoDBDocumentClient, consultationId: string, questionId: string, limit: number, cursor: string | undefined) {
  const page = await queryPage(db, { partition: consultationKeys.responses(consultationId), ascending: true, limit, cursor });
  const items = page.items.flatMap((item) => {
    const text = (item.answers as Answer[]).find((a) => a.questionId === questionId)?.text;
    return text === undefined ? [] : [text];
  });
  return { questionId, items, nextCursor: page.nextCursor };
}

const commentFields = ['kind', 'id', 'consultationId', 'community', 'authorSub', 'text', 'status', 'hidden', 'createdAt'] as const satisfies readonly (keyof Contribution)[];
const proposalFields = [...commentFields, 'title', 'supportCount', 'opposeCount', 'councilResponse'] as const satisfies readonly (keyof Proposal)[];

export function contributionFromItem(item: Record<string, unknown>): Contribution {
  const fields = item.kind === 'proposal' ? proposalFields : commentFields;
  return Object.fromEntries(fields.map((field) => [field, item[field] ?? null])) as unknown as Contribution;
}

function contributionIndexKeys(c: Contribution): Record<string, string> {
  const listing = consultationKeys.contributionListing(c.kind, c.consultationId);
  return {
    gsi1pk: listing,
    gsi1sk: `${c.createdAt}#${c.id}`,
    ...(c.kind === 'proposal' ? { gsi2pk: listing, gsi2sk: `${padCount(c.supportCount)}#${c.id}` } : {}),
  };
}

/**
 * Creates a comment or proposal and counts it against the author's daily limit in one transaction:
 * both or neither, so a refused contribution leaves nothing behind.
 */
export async function createContribution(db: DynamoDBDocumentClient, c: Contribution, maxPerDay: number): Promise<void> {
  try {
    await db.send(new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: { ...consultationKeys.contribution(c.kind, c.consultationId, c.id), type: `consultation-${c.kind}`, ...c, ...contributionIndexKeys(c) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        dailyLimitUpdate(c.authorSub, `consultation-${c.kind}`, c.createdAt, maxPerDay),
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...consultationKeys.authored(c.authorSub, c.kind, c.consultationId, c.id),
              type: 'consultation-authored', kind: c.kind, consultationId: c.consultationId, contributionId: c.id, createdAt: c.createdAt,
            },
          },
        },
      ],
    }));
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed') {
      throw problems.tooManyRequests(`At most ${maxPerDay} ${c.kind}s a day may be posted by one person.`, 3600);
    }
    throw error;
  }
}

/** A comment or proposal with its consultation, or 404 (`ofCommunity` as in requireConsultation). */
export async function requireContribution<K extends ContributionKind>(
  db: DynamoDBDocumentClient,
  kind: K,
  consultationId: string,
  id: string,
  options: { ofCommunity?: string } = {},
): Promise<{ consultation: Consultation; contribution: Extract<Contribution, { kind: K }> }> {
  const [consultation, { Item }] = await Promise.all([
    requireConsultation(db, consultationId, options),
    db.send(new GetCommand({ TableName: tableName(), Key: consultationKeys.contribution(kind, consultationId, id), ConsistentRead: true })),
  ]);
  if (!Item) throw problems.notFound(`No such ${kind}.`);
  return { consultation, contribution: contributionFromItem(Item) as Extract<Contribution, { kind: K }> };
}

/** Saves a moderation decision, guarded by the status it was decided on (a concurrent decision wins, this one fails). */
export async function saveModeration(db: DynamoDBDocumentClient, before: Contribution, after: Contribution, audit: AuditEntry): Promise<boolean> {
  return writeWithAudit(db, [{
    Update: {
      TableName: tableName(),
      Key: consultationKeys.contribution(before.kind, before.consultationId, before.id),
      UpdateExpression: 'SET #status = :after, #hidden = :hidden',
      ConditionExpression: '#status = :before',
      ExpressionAttributeNames: { '#status': 'status', '#hidden': 'hidden' },
      ExpressionAttributeValues: { ':after': after.status, ':hidden': after.hidden, ':before': before.status },
    },
  }], audit);
}

/**
 * Records the council's answer to a proposal, unless the report was published meanwhile (the
 * report makes the answers final): the proposal update and the check of the consultation are one
 * transaction.
 */
export async function saveProposalResponse(db: DynamoDBDocumentClient, after: Proposal, audit: AuditEntry): Promise<boolean> {
  return writeWithAudit(db, [
    {
      Update: {
        TableName: tableName(),
        Key: consultationKeys.contribution('proposal', after.consultationId, after.id),
        UpdateExpression: 'SET councilResponse = :response',
        ConditionExpression: '#status = :published',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':response': after.councilResponse, ':published': 'published' },
      },
    },
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: consultationKeys.consultation(after.consultationId),
        ConditionExpression: '#report = :null',
        ExpressionAttributeNames: { '#report': 'report' },
        ExpressionAttributeValues: { ':null': null },
      },
    },
  ], audit);
}

/** Every proposal of a consultation (for the report; their number is bounded by the daily limits). */
export async function allProposals(db: DynamoDBDocumentClient, consultationId: string): Promise<Proposal[]> {
  const proposals: Proposal[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage(db, { index: 'gsi1', partition: consultationKeys.contributionListing('proposal', consultationId), ascending: true, limit: 100, cursor });
    proposals.push(...page.items.map((item) => contributionFromItem(item) as Proposal));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return proposals;
}

/**
 * Optimistic concurrency on the proposal's counts: under n simultaneous stances on one proposal,
 * each round lets one through, so the budget and the jittered exponential backoff are sized for
 * bursts of a few dozen (far above what a proposal sees). Petition-sized bursts would call for
 * counting from the stream instead, as signatures are counted.
 */
const MAX_STANCE_ATTEMPTS = 30;

/**
 * Sets (or, with null, withdraws) a person's stance on a proposal and keeps the proposal's counts
 * equal to the stances stored, exactly once: the stance item and the counts are one transaction,
 * the stance guarded by the stance it replaces and the counts by the counts they were computed
 * from. A concurrent change makes the transaction fail; it is then re-read and retried.
 */
export async function saveStance(
  db: DynamoDBDocumentClient,
  proposal: Proposal,
  personSub: string,
  stance: Stance | null,
): Promise<{ before: Stance | null; proposal: Proposal }> {
  const stanceItemKey = consultationKeys.stance(proposal.id, await stanceKey(db, proposal, personSub));
  const proposalKey = consultationKeys.contribution('proposal', proposal.consultationId, proposal.id);
  for (let attempt = 1; ; attempt++) {
    const { Responses } = await db.send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: [proposalKey, stanceItemKey], ConsistentRead: true } } }));
    const items = Responses?.[tableName()] ?? [];
    const current = contributionFromItem(items.find((i) => i.sk === proposalKey.sk)!) as Proposal;
    if (current.status === 'hidden') throw problems.conflict('hidden', 'The proposal was hidden by a moderator.');
    const before = (items.find((i) => i.sk === stanceItemKey.sk)?.stance as Stance | undefined) ?? null;
    if (before === stance) return { before, proposal: current };
    const counts = recount(current, before, stance);
    const stanceGuard = before === null
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'stance = :before', ExpressionAttributeValues: { ':before': before } };
    try {
      await db.send(new TransactWriteCommand({
        TransactItems: [
          stance === null
            ? { Delete: { TableName: tableName(), Key: stanceItemKey, ...stanceGuard } }
            : { Put: { TableName: tableName(), Item: { ...stanceItemKey, type: 'proposal-stance', proposalId: proposal.id, stance }, ...stanceGuard } },
          {
            Update: {
              TableName: tableName(),
              Key: proposalKey,
              UpdateExpression: 'SET supportCount = :support, opposeCount = :oppose, gsi2sk = :rank',
              ConditionExpression: 'supportCount = :supportBefore AND opposeCount = :opposeBefore AND #status = :published',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':support': counts.supportCount, ':oppose': counts.opposeCount, ':rank': `${padCount(counts.supportCount)}#${proposal.id}`,
                ':supportBefore': current.supportCount, ':opposeBefore': current.opposeCount, ':published': 'published',
              },
            },
          },
        ],
      }));
      return { before, proposal: { ...current, ...counts } };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      if (attempt >= MAX_STANCE_ATTEMPTS) throw problems.unavailable('Many people are taking a stance on this proposal right now; try again.');
      await backoff(attempt, 250);
    }
  }
}
